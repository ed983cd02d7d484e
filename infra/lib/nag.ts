// cdk-nag acknowledgements (AwsSolutions, NIST 800-53 rev 5, HIPAA Security). Every one names the
// exact finding and carries its reason here, in code. `npm run infra:check` counts them.
import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';

export interface NagAcknowledgement {
  path: string;
  id: string;
  category: string;
  reason: string;
}

const DATA_OBJECTS = `arn:<AWS::Partition>:s3:::${c.bucket.namePrefix}-<AWS::AccountId>-<AWS::Region>/`;
const TAG = { partition: '<aws:PrincipalTag/partition>', contractor: '<aws:PrincipalTag/contractor>' };

const REASONS = {
  replication:
    'Cross-region replication needs a second region, bucket and key, which is an account-level DR decision; ' +
    'buckets are versioned and RETAINed on stack deletion, the trail bucket is object-locked, and infra/README.md documents the DR runbook.',
  accessLogsSseS3: 'S3 server access log delivery supports only SSE-S3 on the target bucket (SSE-KMS targets are not delivered to).',
  trailBucketSseS3:
    'CloudTrail encrypts every log file itself with the storage key (trail KmsKeyId, pinned by tests); digest files are SSE-S3 by design, ' +
    'and a KMS bucket default would make their delivery depend on a key grant CloudTrail does not use.',
  contractorPrefixes:
    'Object ARNs scoped per session by principal tags: raw|features|manifests|requests/${aws:PrincipalTag/partition}/${aws:PrincipalTag/contractor}/*; ' +
    'the trailing * is the sample key the contractor creates (docs/security-model.md: contractor role).',
  adminPartitionConfigs: 'Admins write every partition config under config/partitions/ (docs/security-model.md: admin role).',
  adminErasure:
    'Erasure deletes all versions of a contractor\'s objects (and handled consent-withdrawal requests) in any partition; prefixes are the fixed layout (docs/security-model.md: admin role).',
  adminDeletionFeed:
    'Admins append erased sample ids to the deletion feed; object names are generated per entry, and the bucket policy makes every put If-None-Match and denies all deletes there.',
  pipelinePrefixes: 'The pipeline reads every features/, manifests/ and deletions/ object, never raw/ (docs/security-model.md: pipeline-reader role).',
  keyEventsTopicUnencrypted:
    'The key-events topic is deliberately encrypted with no VoiceVault key: it reports DisableKey/ScheduleKeyDeletion/PutKeyPolicy on those keys, and a topic under one of them ' +
    'would go silent when that key is disabled. Its messages hold key ARNs and caller identities, never sample data; the topic is TLS-only and only this EventBridge rule may publish.',
  describeAlarms: 'cloudwatch:DescribeAlarms is read-only and lists alarms account-wide; scoping it to alarm ARNs is not reliably honoured for the list call.',
  trailLogStreams: 'CloudTrail creates its own log streams in the one trail log group; the stream names are not known in advance.',
  mfaParameter:
    'MFA is the MfaConfiguration parameter (ON, OPTIONAL or OFF; default ON, TOTP only), which cdk-nag cannot evaluate; a test pins the default.',
} as const;

function ack(list: NagAcknowledgement[], scope: IConstruct, category: keyof typeof REASONS, ...ids: string[]): void {
  for (const id of ids) {
    Validations.of(scope).acknowledge({ id, reason: REASONS[category] });
    list.push({ path: scope.node.path, id, category, reason: REASONS[category] });
  }
}

/** Applies every acknowledgement; returns them for reporting. */
export function applyNagAcknowledgements(stack: Stack): NagAcknowledgement[] {
  const list: NagAcknowledgement[] = [];
  const find = (path: string): IConstruct => stack.node.findChild(path.split('/')[0]!).node.findAll().find((n) => n.node.path === `${stack.node.path}/${path}`)!;

  for (const bucket of ['Data/Bucket', 'Audit/TrailBucket', 'Audit/AccessLogsBucket']) {
    ack(list, find(`${bucket}/Resource`), 'replication', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled');
  }
  ack(list, find('Audit/AccessLogsBucket/Resource'), 'accessLogsSseS3', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS');
  ack(list, find('Audit/TrailBucket/Resource'), 'trailBucketSseS3', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3DefaultEncryptionKMS');

  ack(
    list,
    find('Roles/ContractorPolicy/Resource'),
    'contractorPrefixes',
    ...[c.bucket.prefixes.raw, c.bucket.prefixes.features, c.bucket.prefixes.manifests, c.bucket.prefixes.requests].map(
      (top) => `AwsSolutions-IAM5[Resource::${DATA_OBJECTS}${top}/${TAG.partition}/${TAG.contractor}/*]`,
    ),
  );
  ack(list, find('Roles/AdminPolicy/Resource'), 'adminPartitionConfigs', `AwsSolutions-IAM5[Resource::${DATA_OBJECTS}${c.bucket.prefixes.partitionConfig}/*]`);
  ack(
    list,
    find('Roles/AdminPolicy/Resource'),
    'adminErasure',
    ...[c.bucket.prefixes.raw, c.bucket.prefixes.features, c.bucket.prefixes.manifests, c.bucket.prefixes.requests].map((top) => `AwsSolutions-IAM5[Resource::${DATA_OBJECTS}${top}/*]`),
  );
  ack(list, find('Roles/AdminPolicy/Resource'), 'adminDeletionFeed', `AwsSolutions-IAM5[Resource::${DATA_OBJECTS}${c.bucket.prefixes.deletions}/*]`);
  ack(list, find('Roles/AdminPolicy/Resource'), 'describeAlarms', 'AwsSolutions-IAM5[Resource::*]');
  ack(
    list,
    find('Roles/PipelineReaderPolicy/Resource'),
    'pipelinePrefixes',
    ...[c.bucket.prefixes.features, c.bucket.prefixes.manifests, c.bucket.prefixes.deletions].map((top) => `AwsSolutions-IAM5[Resource::${DATA_OBJECTS}${top}/*]`),
  );
  ack(list, find('Alarms/KeyEventsTopic/Resource'), 'keyEventsTopicUnencrypted', 'NIST.800.53.R5-SNSEncryptedKMS', 'HIPAA.Security-SNSEncryptedKMS');
  ack(
    list,
    find('Audit/TrailToLogsPolicy/Resource'),
    'trailLogStreams',
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${c.audit.logGroupName}:log-stream:*]`,
  );
  ack(list, find('Identity/UserPool/Resource'), 'mfaParameter', 'AwsSolutions-COG2');
  return list;
}
