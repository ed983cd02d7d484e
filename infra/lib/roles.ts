// The three app roles and their identity policies (docs/security-model.md: identity and least privilege).
// Managed (not inline) policies, one per role, so each is a reviewable, named document.
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';
import { ENVELOPE_KINDS_CONTRACTOR, ENVELOPE_KINDS_PIPELINE } from './keys';
import { tagVar, type StackNames } from './names';

/** Create, disable, re-enable, re-partition (and unassign), sign out and look up contractors; nothing else. */
export const ADMIN_USER_POOL_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDeleteUserAttributes',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminGetUser',
  'cognito-idp:ListUsers',
  'cognito-idp:ListUsersInGroup',
  'cognito-idp:AdminListGroupsForUser',
];

export const CONTRACTOR_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

export interface RolesProps {
  names: StackNames;
  envelopeKey: kms.IKey;
  storageKey: kms.IKey;
  identityPoolId: string;
  userPoolArn: string;
  /** IAM principal ARNs allowed to assume the pipeline-reader role (parameter). */
  pipelineReaderPrincipals: string[];
}

export class AppRoles extends Construct {
  readonly contractor: iam.Role;
  readonly admin: iam.Role;
  readonly pipelineReader: iam.Role;
  readonly contractorPolicy: iam.ManagedPolicy;
  readonly adminPolicy: iam.ManagedPolicy;
  readonly pipelineReaderPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RolesProps) {
    super(scope, id);
    const { names, envelopeKey, storageKey } = props;
    const p = c.bucket.prefixes;
    const obj = (key: string): string => `${names.bucketArn}/${key}`;
    const app = c.encryptionContext.app;

    // Cognito identity pool federation: this pool's authenticated identities only, with the
    // principal tags (contractor, partition) passed as session tags.
    const cognitoTrust = (): iam.IPrincipal =>
      new iam.WebIdentityPrincipal('cognito-identity.amazonaws.com', {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': props.identityPoolId },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      }).withSessionTags();

    const storageViaS3 = (sid: string, actions: string[]): iam.PolicyStatement =>
      new iam.PolicyStatement({
        sid,
        actions,
        resources: [storageKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': names.s3ViaService, 'kms:EncryptionContext:aws:s3:arn': names.bucketArn },
        },
      });
    const tagsPresent = { Null: { 'aws:PrincipalTag/contractor': 'false', 'aws:PrincipalTag/partition': 'false' } };

    this.contractorPolicy = new iam.ManagedPolicy(this, 'ContractorPolicy', {
      description: 'VoiceVault contractor: write own prefixes, read own partition config, seal with own context',
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnSamplePrefixes',
          actions: CONTRACTOR_WRITE_ACTIONS,
          resources: [p.raw, p.features, p.manifests, p.requests].map((top) => obj(`${top}/${tagVar.partition}/${tagVar.contractor}/*`)),
          conditions: tagsPresent,
        }),
        new iam.PolicyStatement({
          sid: 'ReadOwnPartitionConfig',
          actions: ['s3:GetObject'],
          resources: [obj(`${p.partitionConfig}/${tagVar.partition}.json`)],
          conditions: { Null: { 'aws:PrincipalTag/partition': 'false' } },
        }),
        new iam.PolicyStatement({
          sid: 'EnvelopeGenerateDataKeyOwnContext',
          actions: ['kms:GenerateDataKey'],
          resources: [envelopeKey.keyArn],
          conditions: {
            StringEquals: {
              'kms:EncryptionContext:app': app,
              'kms:EncryptionContext:contractor': tagVar.contractor,
              'kms:EncryptionContext:partition': tagVar.partition,
              'kms:EncryptionContext:kind': ENVELOPE_KINDS_CONTRACTOR,
            },
          },
        }),
        storageViaS3('StorageKeyThroughS3Only', ['kms:GenerateDataKey', 'kms:Decrypt']),
      ],
    });
    this.contractor = new iam.Role(this, 'ContractorRole', {
      roleName: c.roles.contractor,
      description: 'VoiceVault contractors (Cognito identity pool, authenticated, principal tags contractor/partition)',
      assumedBy: cognitoTrust(),
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [this.contractorPolicy],
    });

    this.adminPolicy = new iam.ManagedPolicy(this, 'AdminPolicy', {
      description: 'VoiceVault admin: partition configs, listing, lifecycle, user management, alarms, erasure, deletion feed; no envelope decrypt',
      statements: [
        new iam.PolicyStatement({
          sid: 'PartitionConfigReadWrite',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [obj(`${p.partitionConfig}/*`)],
        }),
        // Append-only: the bucket policy denies a put without If-None-Match and any delete there.
        new iam.PolicyStatement({
          sid: 'AppendToDeletionFeed',
          actions: ['s3:PutObject'],
          resources: [obj(`${p.deletions}/*`)],
        }),
        new iam.PolicyStatement({
          sid: 'ListForStatusAndErasure',
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [names.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'BucketLifecycle',
          actions: ['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
          resources: [names.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'EraseObjectsAllVersions',
          actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: [p.raw, p.features, p.manifests, p.requests].map((top) => obj(`${top}/*`)),
        }),
        new iam.PolicyStatement({
          sid: 'ManageContractors',
          actions: ADMIN_USER_POOL_ACTIONS,
          resources: [props.userPoolArn],
        }),
        new iam.PolicyStatement({
          sid: 'AlarmState',
          actions: ['cloudwatch:DescribeAlarms'],
          resources: ['*'],
        }),
        storageViaS3('StorageKeyThroughS3Only', ['kms:GenerateDataKey', 'kms:Decrypt']),
      ],
    });
    this.admin = new iam.Role(this, 'AdminRole', {
      roleName: c.roles.admin,
      description: 'VoiceVault admins (Cognito group admins, token-based role mapping); cannot decrypt samples',
      assumedBy: cognitoTrust(),
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [this.adminPolicy],
    });

    this.pipelineReaderPolicy = new iam.ManagedPolicy(this, 'PipelineReaderPolicy', {
      description: 'VoiceVault training pipeline: list and read features, manifests and the deletion feed; decrypt features and manifests, never raw',
      statements: [
        new iam.PolicyStatement({
          sid: 'ListFeaturesManifestsAndDeletions',
          actions: ['s3:ListBucket'],
          resources: [names.bucketArn],
          conditions: { StringLike: { 's3:prefix': [p.features, p.manifests, p.deletions].map((top) => `${top}/*`) } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadFeaturesManifestsAndDeletions',
          actions: ['s3:GetObject'],
          resources: [p.features, p.manifests, p.deletions].map((top) => obj(`${top}/*`)),
        }),
        new iam.PolicyStatement({
          sid: 'EnvelopeDecryptFeaturesAndManifests',
          actions: ['kms:Decrypt'],
          resources: [envelopeKey.keyArn],
          conditions: { StringEquals: { 'kms:EncryptionContext:app': app, 'kms:EncryptionContext:kind': ENVELOPE_KINDS_PIPELINE } },
        }),
        storageViaS3('StorageKeyThroughS3Only', ['kms:Decrypt']),
      ],
    });
    this.pipelineReader = new iam.Role(this, 'PipelineReaderRole', {
      roleName: c.roles.pipelineReader,
      description: 'VoiceVault training pipeline; assumable only by the principals named in the PipelineReaderPrincipals parameter',
      assumedBy: new iam.AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [this.pipelineReaderPolicy],
    });
    // Named principals (a parameter), never the whole account. The L2 wants a literal principal,
    // so the list parameter is written into the L1 trust policy.
    (this.pipelineReader.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'NamedPipelinePrincipalsOnly', Effect: 'Allow', Principal: { AWS: props.pipelineReaderPrincipals }, Action: 'sts:AssumeRole' }],
    };
  }
}
