// The data bucket: samples, features, manifests, partition configs, consent-withdrawal requests
// and the deletion feed (docs/storage-layout.md).
// No lifecycle rules here: the partition tooling owns the lifecycle configuration, and a deploy
// would otherwise wipe the admins' per-partition rules.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';
import type { StackNames } from './names';

export class DataBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { names: StackNames; storageKey: kms.IKey; accessLogsBucket: s3.IBucket }) {
    super(scope, id);
    const { names, storageKey } = props;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: names.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: storageKey,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // SSE-C is blocked by the bucket itself, and denied again by the policy below.
    (this.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BlockedEncryptionTypes', {
      EncryptionType: ['SSE-C'],
    });

    const objects = this.bucket.arnForObjects('*');
    const deletions = this.bucket.arnForObjects(`${c.bucket.prefixes.deletions}/*`);
    const deny = (sid: string, actions: string[], resources: string[], conditions?: Record<string, Record<string, string | string[]>>): void => {
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions, resources, conditions }));
    };
    // Uploads must use the storage key. A request that names an encryption header must name
    // SSE-KMS with the storage key. A request without headers gets the bucket default (the
    // storage key, with bucket key), so it is allowed: UploadPart and CompleteMultipartUpload are
    // authorized as s3:PutObject and carry no SSE headers. Each Deny therefore requires the header
    // to be present (Null false): a bare StringNotEquals, or any …IfExists form, also matches
    // when the header is absent and would deny every multipart upload.
    const denyUploads = (sid: string, conditions: Record<string, Record<string, string>>): void => deny(sid, ['s3:PutObject'], [objects], conditions);
    denyUploads('DenyUploadsNamingNonKmsEncryption', {
      Null: { 's3:x-amz-server-side-encryption': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
    denyUploads('DenyUploadsNamingAnotherKey', {
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': storageKey.keyArn },
    });
    // `aws:kms` without a key id would silently pick the AWS managed key aws/s3.
    denyUploads('DenyUploadsWithSseKmsButNoKeyId', {
      StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
    });
    denyUploads('DenyUploadsWithCustomerProvidedKeys', { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } });

    // Write-once on the server: a PutObject or CompleteMultipartUpload (s3:ObjectCreationOperation
    // true) must carry If-None-Match, so a stolen credential cannot overwrite a sample. The other
    // multipart calls take no conditional header and are exempt, as AWS documents for this key.
    const withoutIfNoneMatch = { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } };
    deny('DenyContractorOverwrites', ['s3:PutObject'], [objects], { ...withoutIfNoneMatch, ArnEquals: { 'aws:PrincipalArn': names.contractorRoleArn } });
    // The deletion feed is append-only for everyone: written once, never deleted.
    deny('DenyDeletionFeedOverwrites', ['s3:PutObject'], [deletions], withoutIfNoneMatch);
    deny('DenyDeletionFeedDeletes', ['s3:DeleteObject', 's3:DeleteObjectVersion'], [deletions]);
    // Defence in depth: no app role reads raw audio, whatever identity policies say later.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyRawReadsToAppRoles',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects(`${c.bucket.prefixes.raw}/*`)],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': [names.contractorRoleArn, names.adminRoleArn, names.pipelineReaderRoleArn] },
        },
      }),
    );
  }
}
