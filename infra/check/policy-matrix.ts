// Policy matrix: who may do what, evaluated by @cloud-copilot/iam-simulate (AGPL, dev-only) on the
// synthesized identity, bucket and key policies, with principal tags as request context.
//
// What the evaluator cannot model (infra/README.md), and how this file handles it:
// - It ignores `kms:EncryptionContext:<key>` context keys. Cases marked `ecMapped` rename those
//   condition keys, in the policies and in the request alike, to the global
//   `aws:RequestTag/kmsec-<key>` (string keys, same operators, same values), which it does
//   evaluate. The statements themselves are also pinned structurally (structural.ts).
// - KMS requests get the key policy as the resource policy.
// - runUnsafeSimulation crashes on resource policies, so only runSimulation is used.
import { runSimulation, getDenialReasons } from '@cloud-copilot/iam-simulate';
import { voiceVaultConfig as c } from '../../shared/config';
import { logicalId, resolveTemplate, SIM_ENV, SIM_PARAMETERS } from './resolve';
import type { Json } from './json';

type Expect = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Denied';
type Who = 'contractorA' | 'contractorNoTags' | 'admin' | 'pipeline' | 'anonymous' | 'trainingBatch' | 'otherAccountRole' | Service;
type Service = 'cloudwatch.amazonaws.com' | 'events.amazonaws.com' | 'cloudtrail.amazonaws.com' | 'logs.eu-central-1.amazonaws.com';
type Target = 'bucket' | 'envelopeKey' | 'storageKey' | 'auditKey' | 'userPool' | 'alarms' | 'alarmTopic' | 'keyEventsTopic' | 'pipelineRole';

export interface PolicyCase {
  name: string;
  who: Who;
  action: string;
  target: Target;
  /** Object key (bucket objects) or '' for the bucket / key itself. */
  key?: string;
  context?: Record<string, string | string[]>;
  /** Encryption context (KMS), evaluated through the aws:RequestTag mapping. */
  ec?: Record<string, string>;
  expect: Expect;
}

export interface CaseResult {
  name: string;
  expect: Expect;
  actual: string;
  ok: boolean;
  ecMapped: boolean;
  detail?: string;
}

const A = { contractor: '6f1c2d3e-aaaa-4bbb-8ccc-000000000001', partition: 'north' };
const B = { contractor: '6f1c2d3e-aaaa-4bbb-8ccc-000000000002', partition: 'north' };
const SOUTH = 'south';
const p = c.bucket.prefixes;
const s3Via = `s3.${SIM_ENV.region}.amazonaws.com`;

const own = (top: string, file: string): string => `${top}/${A.partition}/${A.contractor}/${file}`;
const sse = (keyArn: string): Record<string, string> => ({
  's3:x-amz-server-side-encryption': 'aws:kms',
  's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
});
const envCtx = (over: Record<string, string> = {}): Record<string, string> => ({
  app: c.encryptionContext.app,
  kind: 'features',
  partition: A.partition,
  contractor: A.contractor,
  sample: '01JABCDEF0123456789XYZ0000',
  ...over,
});

/** Built lazily: some cases need ARNs from the template. */
export function policyCases(ids: { storageKeyArn: string; bucketArn: string }): PolicyCase[] {
  const acct = SIM_ENV.account;
  const region = SIM_ENV.region;
  const storage = sse(ids.storageKeyArn);
  // What S3 puts in the request context of a PutObject / CompleteMultipartUpload …
  const create = { 's3:ObjectCreationOperation': 'true' };
  const writeOnce = { ...create, 's3:if-none-match': '*' };
  // … and of an UploadPart (which carries neither SSE nor conditional headers).
  const part = { 's3:ObjectCreationOperation': 'false' };
  const put = { ...storage, ...writeOnce };
  const s3Ec = { 'aws:s3:arn': ids.bucketArn };
  const viaS3 = { 'kms:ViaService': s3Via, 'kms:CallerAccount': acct };
  const alarmArn = (name: string): string => `arn:aws:cloudwatch:${region}:${acct}:alarm:${name}`;
  const alarmTopicArn = `arn:aws:sns:${region}:${acct}:${c.alarms.topicName}`;
  const fromAlarm = (name: string, account: string = acct): Record<string, string> => ({ 'aws:SourceAccount': account, 'aws:SourceArn': alarmArn(name) });
  const trailArn = `arn:aws:cloudtrail:${region}:${acct}:trail/${c.audit.trailName}`;
  const logGroupArn = `arn:aws:logs:${region}:${acct}:log-group:${c.audit.logGroupName}`;
  return [
    // Contractor A: writes only its own prefixes, with the storage key, once.
    { name: 'contractor A puts raw to its own prefix (storage-key header, If-None-Match)', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's1.sealed'), context: put, expect: 'Allowed' },
    { name: 'contractor A puts features to its own prefix (storage-key header, If-None-Match)', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.features, 's1.log-mel.sealed'), context: put, expect: 'Allowed' },
    { name: 'contractor A puts a manifest to its own prefix (storage-key header, If-None-Match)', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.manifests, 's1.sealed'), context: put, expect: 'Allowed' },
    { name: 'contractor A puts a consent-withdrawal request to its own prefix', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.requests, 'w1.sealed'), context: put, expect: 'Allowed' },
    { name: 'contractor A uploads a part (no SSE or conditional headers)', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's2.sealed'), context: part, expect: 'Allowed' },
    { name: 'contractor A completes a multipart upload with If-None-Match (no SSE headers)', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's2.sealed'), context: writeOnce, expect: 'Allowed' },
    { name: 'contractor A cannot overwrite: a put without If-None-Match is denied', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's1.sealed'), context: { ...storage, ...create }, expect: 'ExplicitlyDenied' },
    { name: 'contractor A cannot complete a multipart upload without If-None-Match', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.features, 's2.mfcc.sealed'), context: create, expect: 'ExplicitlyDenied' },
    { name: 'contractor A aborts its own multipart upload', who: 'contractorA', action: 's3:AbortMultipartUpload', target: 'bucket', key: own(p.features, 's2.mfcc.sealed'), expect: 'Allowed' },
    { name: "contractor A cannot put to contractor B's prefix", who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: `${p.raw}/${B.partition}/${B.contractor}/s1.sealed`, context: put, expect: 'ImplicitlyDenied' },
    { name: "contractor A cannot put a request under contractor B's prefix", who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: `${p.requests}/${B.partition}/${B.contractor}/w1.sealed`, context: put, expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot put to its own id under another partition', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: `${p.features}/${SOUTH}/${A.contractor}/s1.sealed`, context: put, expect: 'ImplicitlyDenied' },
    { name: "contractor A cannot list contractor B's multipart parts", who: 'contractorA', action: 's3:ListMultipartUploadParts', target: 'bucket', key: `${p.raw}/${B.partition}/${B.contractor}/s1.sealed`, expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot write a partition config', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: `${p.partitionConfig}/${A.partition}.json`, context: put, expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot write to the deletion feed', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, context: put, expect: 'ImplicitlyDenied' },
    { name: 'contractor A upload over plain HTTP is denied', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's3.sealed'), context: { ...put, 'aws:SecureTransport': 'false' }, expect: 'ExplicitlyDenied' },
    { name: 'contractor A upload naming another KMS key is denied', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's4.sealed'), context: { ...writeOnce, ...sse(`arn:aws:kms:${region}:${acct}:key/99999999-9999-9999-9999-999999999999`) }, expect: 'ExplicitlyDenied' },
    { name: 'contractor A upload with SSE-S3 (AES256) is denied', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's5.sealed'), context: { ...writeOnce, 's3:x-amz-server-side-encryption': 'AES256' }, expect: 'ExplicitlyDenied' },
    { name: 'contractor A upload with aws:kms but no key id (would be aws/s3) is denied', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's6.sealed'), context: { ...writeOnce, 's3:x-amz-server-side-encryption': 'aws:kms' }, expect: 'ExplicitlyDenied' },
    { name: 'contractor A upload with a customer-provided key (SSE-C) is denied', who: 'contractorA', action: 's3:PutObject', target: 'bucket', key: own(p.raw, 's7.sealed'), context: { ...writeOnce, 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' }, expect: 'ExplicitlyDenied' },
    { name: 'contractor A cannot list the bucket', who: 'contractorA', action: 's3:ListBucket', target: 'bucket', key: '', expect: 'ImplicitlyDenied' },
    { name: "contractor A reads its partition's config", who: 'contractorA', action: 's3:GetObject', target: 'bucket', key: `${p.partitionConfig}/${A.partition}.json`, expect: 'Allowed' },
    { name: "contractor A cannot read another partition's config", who: 'contractorA', action: 's3:GetObject', target: 'bucket', key: `${p.partitionConfig}/${SOUTH}.json`, expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot read back its own raw sample', who: 'contractorA', action: 's3:GetObject', target: 'bucket', key: own(p.raw, 's1.sealed'), expect: 'ExplicitlyDenied' },
    { name: 'contractor A cannot read back its own features', who: 'contractorA', action: 's3:GetObject', target: 'bucket', key: own(p.features, 's1.log-mel.sealed'), expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot delete its own sample', who: 'contractorA', action: 's3:DeleteObject', target: 'bucket', key: own(p.raw, 's1.sealed'), expect: 'ImplicitlyDenied' },
    { name: 'a session without principal tags cannot write anywhere', who: 'contractorNoTags', action: 's3:PutObject', target: 'bucket', key: `${p.raw}/${A.partition}/${A.contractor}/s1.sealed`, context: put, expect: 'Denied' },
    { name: 'contractor A cannot kms:Decrypt envelope data (its own context)', who: 'contractorA', action: 'kms:Decrypt', target: 'envelopeKey', ec: envCtx({ kind: 'raw' }), expect: 'ExplicitlyDenied' },
    { name: 'contractor A GenerateDataKey on the envelope key with its own context', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx({ kind: 'raw' }), expect: 'Allowed' },
    { name: 'contractor A GenerateDataKey for its own consent-withdrawal request', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx({ kind: 'request' }), expect: 'Allowed' },
    { name: 'contractor A cannot GenerateDataKey for an unknown kind', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx({ kind: 'anything' }), expect: 'ImplicitlyDenied' },
    { name: "contractor A cannot GenerateDataKey with contractor B's id", who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx({ contractor: B.contractor }), expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot GenerateDataKey for another partition', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx({ partition: SOUTH }), expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot GenerateDataKey for another app', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx({ app: 'other' }), expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot GenerateDataKey without an encryption context', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: {}, expect: 'ImplicitlyDenied' },
    { name: 'contractor A uses the storage key through S3 for the data bucket', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'storageKey', context: viaS3, ec: s3Ec, expect: 'Allowed' },
    { name: 'contractor A cannot use the storage key directly (not via S3)', who: 'contractorA', action: 'kms:GenerateDataKey', target: 'storageKey', context: { 'kms:CallerAccount': acct }, ec: s3Ec, expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot use the storage key via S3 for another bucket', who: 'contractorA', action: 'kms:Decrypt', target: 'storageKey', context: viaS3, ec: { 'aws:s3:arn': 'arn:aws:s3:::someone-elses-bucket' }, expect: 'ImplicitlyDenied' },
    { name: 'contractor A cannot decrypt with the audit key', who: 'contractorA', action: 'kms:Decrypt', target: 'auditKey', context: viaS3, ec: { 'aws:cloudtrail:arn': trailArn }, expect: 'ImplicitlyDenied' },

    // Admin: configs, listing, lifecycle, users, alarms, erasure, the deletion feed; never decryption.
    { name: 'admin cannot kms:Decrypt envelope data', who: 'admin', action: 'kms:Decrypt', target: 'envelopeKey', ec: envCtx(), expect: 'ExplicitlyDenied' },
    { name: 'admin cannot GenerateDataKey on the envelope key', who: 'admin', action: 'kms:GenerateDataKey', target: 'envelopeKey', ec: envCtx(), expect: 'ImplicitlyDenied' },
    { name: 'admin cannot rewrite the envelope key policy', who: 'admin', action: 'kms:PutKeyPolicy', target: 'envelopeKey', expect: 'ExplicitlyDenied' },
    { name: 'admin cannot disable the audit key', who: 'admin', action: 'kms:DisableKey', target: 'auditKey', expect: 'ExplicitlyDenied' },
    { name: 'admin writes a partition config with the storage-key header', who: 'admin', action: 's3:PutObject', target: 'bucket', key: `${p.partitionConfig}/${SOUTH}.json`, context: { ...storage, ...create }, expect: 'Allowed' },
    { name: 'admin reads a partition config', who: 'admin', action: 's3:GetObject', target: 'bucket', key: `${p.partitionConfig}/${A.partition}.json`, expect: 'Allowed' },
    { name: 'admin appends to the deletion feed with If-None-Match', who: 'admin', action: 's3:PutObject', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, context: put, expect: 'Allowed' },
    { name: 'admin cannot overwrite the deletion feed (no If-None-Match)', who: 'admin', action: 's3:PutObject', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, context: { ...storage, ...create }, expect: 'ExplicitlyDenied' },
    { name: 'admin cannot delete a deletion-feed entry', who: 'admin', action: 's3:DeleteObject', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, expect: 'ExplicitlyDenied' },
    { name: 'admin cannot delete a version of a deletion-feed entry', who: 'admin', action: 's3:DeleteObjectVersion', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, expect: 'ExplicitlyDenied' },
    { name: 'admin lists the bucket', who: 'admin', action: 's3:ListBucket', target: 'bucket', key: '', expect: 'Allowed' },
    { name: 'admin lists consent-withdrawal requests', who: 'admin', action: 's3:ListBucket', target: 'bucket', key: '', context: { 's3:prefix': `${p.requests}/` }, expect: 'Allowed' },
    { name: 'admin lists object versions (erasure)', who: 'admin', action: 's3:ListBucketVersions', target: 'bucket', key: '', expect: 'Allowed' },
    { name: 'admin writes the bucket lifecycle', who: 'admin', action: 's3:PutLifecycleConfiguration', target: 'bucket', key: '', expect: 'Allowed' },
    { name: 'admin reads the bucket lifecycle', who: 'admin', action: 's3:GetLifecycleConfiguration', target: 'bucket', key: '', expect: 'Allowed' },
    { name: "admin erases a version of a contractor's raw sample", who: 'admin', action: 's3:DeleteObjectVersion', target: 'bucket', key: own(p.raw, 's1.sealed'), expect: 'Allowed' },
    { name: "admin erases a contractor's manifest", who: 'admin', action: 's3:DeleteObject', target: 'bucket', key: own(p.manifests, 's1.sealed'), expect: 'Allowed' },
    { name: 'admin deletes a handled consent-withdrawal request', who: 'admin', action: 's3:DeleteObject', target: 'bucket', key: own(p.requests, 'w1.sealed'), expect: 'Allowed' },
    { name: 'admin cannot read consent-withdrawal requests', who: 'admin', action: 's3:GetObject', target: 'bucket', key: own(p.requests, 'w1.sealed'), expect: 'ImplicitlyDenied' },
    { name: 'admin cannot read samples (features)', who: 'admin', action: 's3:GetObject', target: 'bucket', key: own(p.features, 's1.log-mel.sealed'), expect: 'ImplicitlyDenied' },
    { name: 'admin cannot read raw samples', who: 'admin', action: 's3:GetObject', target: 'bucket', key: own(p.raw, 's1.sealed'), expect: 'ExplicitlyDenied' },
    { name: 'admin creates a contractor', who: 'admin', action: 'cognito-idp:AdminCreateUser', target: 'userPool', expect: 'Allowed' },
    { name: 'admin disables a contractor', who: 'admin', action: 'cognito-idp:AdminDisableUser', target: 'userPool', expect: 'Allowed' },
    { name: 'admin re-enables a contractor', who: 'admin', action: 'cognito-idp:AdminEnableUser', target: 'userPool', expect: 'Allowed' },
    { name: "admin sets a contractor's custom:partition", who: 'admin', action: 'cognito-idp:AdminUpdateUserAttributes', target: 'userPool', expect: 'Allowed' },
    { name: 'admin signs a contractor out everywhere', who: 'admin', action: 'cognito-idp:AdminUserGlobalSignOut', target: 'userPool', expect: 'Allowed' },
    { name: 'admin looks a contractor up', who: 'admin', action: 'cognito-idp:AdminGetUser', target: 'userPool', expect: 'Allowed' },
    { name: 'admin lists users', who: 'admin', action: 'cognito-idp:ListUsers', target: 'userPool', expect: 'Allowed' },
    { name: 'admin lists the admins group', who: 'admin', action: 'cognito-idp:ListUsersInGroup', target: 'userPool', expect: 'Allowed' },
    { name: "admin lists a user's groups", who: 'admin', action: 'cognito-idp:AdminListGroupsForUser', target: 'userPool', expect: 'Allowed' },
    { name: 'admin cannot add users to groups (no self-made admins)', who: 'admin', action: 'cognito-idp:AdminAddUserToGroup', target: 'userPool', expect: 'ImplicitlyDenied' },
    { name: 'admin cannot delete users', who: 'admin', action: 'cognito-idp:AdminDeleteUser', target: 'userPool', expect: 'ImplicitlyDenied' },
    { name: 'admin cannot set user passwords', who: 'admin', action: 'cognito-idp:AdminSetUserPassword', target: 'userPool', expect: 'ImplicitlyDenied' },
    { name: 'admin reads alarm state', who: 'admin', action: 'cloudwatch:DescribeAlarms', target: 'alarms', expect: 'Allowed' },
    { name: 'contractor A cannot change user attributes as an admin', who: 'contractorA', action: 'cognito-idp:AdminUpdateUserAttributes', target: 'userPool', expect: 'ImplicitlyDenied' },

    // Pipeline reader: features, manifests and the deletion feed, never raw; assumable by name only.
    { name: 'pipeline lists features', who: 'pipeline', action: 's3:ListBucket', target: 'bucket', key: '', context: { 's3:prefix': `${p.features}/` }, expect: 'Allowed' },
    { name: 'pipeline lists manifests of a partition', who: 'pipeline', action: 's3:ListBucket', target: 'bucket', key: '', context: { 's3:prefix': `${p.manifests}/${A.partition}/` }, expect: 'Allowed' },
    { name: 'pipeline lists the deletion feed', who: 'pipeline', action: 's3:ListBucket', target: 'bucket', key: '', context: { 's3:prefix': `${p.deletions}/` }, expect: 'Allowed' },
    { name: 'pipeline cannot list raw', who: 'pipeline', action: 's3:ListBucket', target: 'bucket', key: '', context: { 's3:prefix': `${p.raw}/` }, expect: 'ImplicitlyDenied' },
    { name: 'pipeline cannot list consent-withdrawal requests', who: 'pipeline', action: 's3:ListBucket', target: 'bucket', key: '', context: { 's3:prefix': `${p.requests}/` }, expect: 'ImplicitlyDenied' },
    { name: 'pipeline cannot list the whole bucket (no prefix)', who: 'pipeline', action: 's3:ListBucket', target: 'bucket', key: '', expect: 'ImplicitlyDenied' },
    { name: 'pipeline reads features', who: 'pipeline', action: 's3:GetObject', target: 'bucket', key: own(p.features, 's1.log-mel.sealed'), expect: 'Allowed' },
    { name: 'pipeline reads manifests', who: 'pipeline', action: 's3:GetObject', target: 'bucket', key: own(p.manifests, 's1.sealed'), expect: 'Allowed' },
    { name: 'pipeline reads the deletion feed', who: 'pipeline', action: 's3:GetObject', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, expect: 'Allowed' },
    { name: 'pipeline cannot read raw', who: 'pipeline', action: 's3:GetObject', target: 'bucket', key: own(p.raw, 's1.sealed'), expect: 'ExplicitlyDenied' },
    { name: 'pipeline cannot read consent-withdrawal requests', who: 'pipeline', action: 's3:GetObject', target: 'bucket', key: own(p.requests, 'w1.sealed'), expect: 'ImplicitlyDenied' },
    { name: 'pipeline cannot write', who: 'pipeline', action: 's3:PutObject', target: 'bucket', key: own(p.features, 's9.sealed'), context: put, expect: 'ImplicitlyDenied' },
    { name: 'pipeline cannot delete the deletion feed', who: 'pipeline', action: 's3:DeleteObject', target: 'bucket', key: `${p.deletions}/20250101T000000Z-x.json`, expect: 'ExplicitlyDenied' },
    { name: 'pipeline decrypts features', who: 'pipeline', action: 'kms:Decrypt', target: 'envelopeKey', ec: envCtx({ kind: 'features' }), expect: 'Allowed' },
    { name: 'pipeline decrypts manifests', who: 'pipeline', action: 'kms:Decrypt', target: 'envelopeKey', ec: envCtx({ kind: 'manifest' }), expect: 'Allowed' },
    { name: 'pipeline cannot decrypt raw', who: 'pipeline', action: 'kms:Decrypt', target: 'envelopeKey', ec: envCtx({ kind: 'raw' }), expect: 'ExplicitlyDenied' },
    { name: 'pipeline cannot decrypt consent-withdrawal requests', who: 'pipeline', action: 'kms:Decrypt', target: 'envelopeKey', ec: envCtx({ kind: 'request' }), expect: 'ExplicitlyDenied' },
    { name: 'pipeline cannot decrypt without a kind', who: 'pipeline', action: 'kms:Decrypt', target: 'envelopeKey', ec: { app: c.encryptionContext.app }, expect: 'ExplicitlyDenied' },
    { name: 'pipeline decrypts the storage key through S3 for the bucket', who: 'pipeline', action: 'kms:Decrypt', target: 'storageKey', context: viaS3, ec: s3Ec, expect: 'Allowed' },
    { name: 'the named training principal assumes the pipeline-reader role', who: 'trainingBatch', action: 'sts:AssumeRole', target: 'pipelineRole', expect: 'Allowed' },
    { name: 'another role in the same account cannot assume the pipeline-reader role', who: 'otherAccountRole', action: 'sts:AssumeRole', target: 'pipelineRole', expect: 'ImplicitlyDenied' },

    // Detection: CloudWatch may publish the stack's alarms, under the audit key, for that topic only.
    { name: 'CloudWatch publishes a VoiceVault alarm to the alarm topic', who: 'cloudwatch.amazonaws.com', action: 'sns:Publish', target: 'alarmTopic', context: fromAlarm(`${c.alarms.alarmNamePrefix}kms-key-disable-or-deletion`), expect: 'Allowed' },
    { name: 'CloudWatch cannot publish an alarm the stack does not own', who: 'cloudwatch.amazonaws.com', action: 'sns:Publish', target: 'alarmTopic', context: fromAlarm('someone-elses-alarm'), expect: 'ImplicitlyDenied' },
    { name: "CloudWatch cannot publish another account's alarm", who: 'cloudwatch.amazonaws.com', action: 'sns:Publish', target: 'alarmTopic', context: fromAlarm(`${c.alarms.alarmNamePrefix}bulk-getobject`, '444455556666'), expect: 'ImplicitlyDenied' },
    { name: 'CloudWatch encrypts for the alarm topic with the audit key', who: 'cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', target: 'auditKey', context: { 'aws:SourceAccount': acct }, ec: { 'aws:sns:topicArn': alarmTopicArn }, expect: 'Allowed' },
    { name: 'CloudWatch cannot use the audit key for another topic', who: 'cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', target: 'auditKey', context: { 'aws:SourceAccount': acct }, ec: { 'aws:sns:topicArn': `arn:aws:sns:${region}:${acct}:other-topic` }, expect: 'ImplicitlyDenied' },
    { name: 'CloudWatch cannot use the storage key', who: 'cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', target: 'storageKey', context: { 'aws:SourceAccount': acct }, ec: { 'aws:sns:topicArn': alarmTopicArn }, expect: 'ImplicitlyDenied' },
    { name: 'CloudTrail encrypts the trail with the audit key', who: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', target: 'auditKey', context: { 'aws:SourceArn': trailArn }, ec: { 'aws:cloudtrail:arn': trailArn }, expect: 'Allowed' },
    { name: 'CloudTrail cannot use the audit key for another trail', who: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', target: 'auditKey', context: { 'aws:SourceArn': `arn:aws:cloudtrail:${region}:${acct}:trail/other` }, ec: { 'aws:cloudtrail:arn': `arn:aws:cloudtrail:${region}:${acct}:trail/other` }, expect: 'ImplicitlyDenied' },
    { name: 'CloudTrail no longer uses the storage key', who: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', target: 'storageKey', context: { 'aws:SourceArn': trailArn }, ec: { 'aws:cloudtrail:arn': trailArn }, expect: 'ImplicitlyDenied' },
    { name: 'CloudWatch Logs encrypts the trail log group with the audit key', who: 'logs.eu-central-1.amazonaws.com', action: 'kms:GenerateDataKey', target: 'auditKey', ec: { 'aws:logs:arn': logGroupArn }, expect: 'Allowed' },
    { name: 'CloudWatch Logs cannot use the audit key for another log group', who: 'logs.eu-central-1.amazonaws.com', action: 'kms:GenerateDataKey', target: 'auditKey', ec: { 'aws:logs:arn': `arn:aws:logs:${region}:${acct}:log-group:other` }, expect: 'ImplicitlyDenied' },
    { name: 'EventBridge publishes key events from the key-events rule', who: 'events.amazonaws.com', action: 'sns:Publish', target: 'keyEventsTopic', context: { 'aws:SourceAccount': acct, 'aws:SourceArn': `arn:aws:events:${region}:${acct}:rule/${c.alarms.keyEventsRuleName}` }, expect: 'Allowed' },
    { name: 'EventBridge cannot publish to the key-events topic from another rule', who: 'events.amazonaws.com', action: 'sns:Publish', target: 'keyEventsTopic', context: { 'aws:SourceAccount': acct, 'aws:SourceArn': `arn:aws:events:${region}:${acct}:rule/other` }, expect: 'ImplicitlyDenied' },
    { name: 'nobody publishes to the alarm topic over plain HTTP', who: 'cloudwatch.amazonaws.com', action: 'sns:Publish', target: 'alarmTopic', context: { ...fromAlarm(`${c.alarms.alarmNamePrefix}bulk-getobject`), 'aws:SecureTransport': 'false' }, expect: 'ExplicitlyDenied' },

    // Nobody else.
    { name: 'an anonymous caller cannot read features', who: 'anonymous', action: 's3:GetObject', target: 'bucket', key: own(p.features, 's1.log-mel.sealed'), expect: 'Denied' },
  ];
}

/** Rename kms:EncryptionContext:<k> condition keys to aws:RequestTag/kmsec-<k> (see header). */
const EC_PREFIX = 'kms:EncryptionContext:';
const ecKey = (k: string): string => `aws:RequestTag/kmsec-${k.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
export function mapEncryptionContextKeys(policy: Json): Json {
  if (Array.isArray(policy)) return policy.map(mapEncryptionContextKeys);
  if (policy === null || typeof policy !== 'object') return policy;
  const out: Json = {};
  for (const [k, v] of Object.entries(policy)) {
    if (k === 'Condition' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(
        Object.entries(v as Json).map(([op, block]) => [
          op,
          Object.fromEntries(Object.entries(block as Json).map(([ck, cv]) => [ck.startsWith(EC_PREFIX) ? ecKey(ck.slice(EC_PREFIX.length)) : ck, cv])),
        ]),
      );
    } else out[k] = mapEncryptionContextKeys(v);
  }
  return out;
}

export interface MatrixReport {
  results: CaseResult[];
  cases: number;
  failures: number;
  ecMapped: number;
}

export async function runPolicyMatrix(templateJson: Json): Promise<MatrixReport> {
  const r = resolveTemplate(templateJson);
  const T = templateJson.Resources;
  const doc = (type: string, prefix: string, prop: string): Json => r.resolve(T[logicalId(templateJson, type, prefix)].Properties[prop]);
  const managed = (prefix: string): Json => doc('AWS::IAM::ManagedPolicy', prefix, 'PolicyDocument');
  const keyId = {
    envelopeKey: logicalId(templateJson, 'AWS::KMS::Key', 'KeysEnvelopeKey'),
    storageKey: logicalId(templateJson, 'AWS::KMS::Key', 'KeysStorageKey'),
    auditKey: logicalId(templateJson, 'AWS::KMS::Key', 'KeysAuditKey'),
  };
  const bucketArn = r.arn[logicalId(templateJson, 'AWS::S3::Bucket', 'DataBucket')]!;
  const userPoolArn = r.arn[logicalId(templateJson, 'AWS::Cognito::UserPool', 'IdentityUserPool')]!;
  const topicArn = (prefix: string): string => r.ref[logicalId(templateJson, 'AWS::SNS::Topic', prefix)]!;
  const acct = SIM_ENV.account;
  const roleArn = (name: string): string => `arn:aws:iam::${acct}:role/${name}`;
  const targets: Record<Target, { arn: string; policy?: Json }> = {
    bucket: { arn: bucketArn, policy: doc('AWS::S3::BucketPolicy', 'DataBucketPolicy', 'PolicyDocument') },
    envelopeKey: { arn: r.arn[keyId.envelopeKey]!, policy: r.resolve(T[keyId.envelopeKey].Properties.KeyPolicy) },
    storageKey: { arn: r.arn[keyId.storageKey]!, policy: r.resolve(T[keyId.storageKey].Properties.KeyPolicy) },
    auditKey: { arn: r.arn[keyId.auditKey]!, policy: r.resolve(T[keyId.auditKey].Properties.KeyPolicy) },
    userPool: { arn: userPoolArn },
    alarms: { arn: `arn:aws:cloudwatch:${SIM_ENV.region}:${acct}:alarm:${c.alarms.alarmNamePrefix}bulk-getobject` },
    alarmTopic: { arn: topicArn('AlarmsTopic'), policy: doc('AWS::SNS::TopicPolicy', 'AlarmsTopicPolicy', 'PolicyDocument') },
    keyEventsTopic: { arn: topicArn('AlarmsKeyEventsTopic'), policy: doc('AWS::SNS::TopicPolicy', 'AlarmsKeyEventsTopicPolicy', 'PolicyDocument') },
    pipelineRole: {
      arn: roleArn(c.roles.pipelineReader),
      policy: r.resolve(Object.values<Json>(T).find((x) => x.Type === 'AWS::IAM::Role' && x.Properties.RoleName === c.roles.pipelineReader)!.Properties.AssumeRolePolicyDocument),
    },
  };
  // Ordinary IAM principals outside the stack: they hold sts:AssumeRole on everything, so only
  // the role's trust policy decides.
  const assumeAnything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
  const principals: Record<'contractorA' | 'contractorNoTags' | 'admin' | 'pipeline' | 'trainingBatch' | 'otherAccountRole', { session: string; role: string; policy: Json; tags: Record<string, string> }> = {
    contractorA: { session: `arn:aws:sts::${acct}:assumed-role/${c.roles.contractor}/CognitoIdentityCredentials`, role: roleArn(c.roles.contractor), policy: managed('RolesContractorPolicy'), tags: { contractor: A.contractor, partition: A.partition } },
    contractorNoTags: { session: `arn:aws:sts::${acct}:assumed-role/${c.roles.contractor}/CognitoIdentityCredentials`, role: roleArn(c.roles.contractor), policy: managed('RolesContractorPolicy'), tags: {} },
    admin: { session: `arn:aws:sts::${acct}:assumed-role/${c.roles.admin}/CognitoIdentityCredentials`, role: roleArn(c.roles.admin), policy: managed('RolesAdminPolicy'), tags: { contractor: 'admin-sub-0001' } },
    pipeline: { session: `arn:aws:sts::${acct}:assumed-role/${c.roles.pipelineReader}/training`, role: roleArn(c.roles.pipelineReader), policy: managed('RolesPipelineReaderPolicy'), tags: {} },
    trainingBatch: { session: SIM_PARAMETERS.PipelineReaderPrincipals!, role: SIM_PARAMETERS.PipelineReaderPrincipals!, policy: assumeAnything, tags: {} },
    otherAccountRole: { session: roleArn('some-other-team'), role: roleArn('some-other-team'), policy: assumeAnything, tags: {} },
  };

  const cases = policyCases({ storageKeyArn: targets.storageKey.arn, bucketArn });
  const results: CaseResult[] = [];
  for (const tc of cases) {
    const ecMapped = tc.ec !== undefined;
    const target = targets[tc.target];
    const resource = tc.target === 'bucket' && tc.key ? `${bucketArn}/${tc.key}` : target.arn;
    let resourcePolicy = target.policy;
    const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true', ...(tc.context ?? {}) };
    let identityPolicies: { name: string; policy: Json }[] = [];
    let principal: string | { type: 'Anonymous' };
    if (tc.who === 'anonymous') {
      principal = { type: 'Anonymous' };
    } else if (tc.who.endsWith('.amazonaws.com')) {
      principal = tc.who;
    } else {
      const who = principals[tc.who as keyof typeof principals];
      principal = who.session;
      identityPolicies = [{ name: 'role', policy: who.policy }];
      context['aws:PrincipalArn'] = who.role;
      context['aws:PrincipalAccount'] = acct;
      for (const [k, v] of Object.entries(who.tags)) context[`aws:PrincipalTag/${k}`] = v;
    }
    if (ecMapped) {
      for (const [k, v] of Object.entries(tc.ec!)) context[ecKey(k)] = v;
      identityPolicies = identityPolicies.map((ip) => ({ ...ip, policy: mapEncryptionContextKeys(ip.policy) }));
      resourcePolicy = mapEncryptionContextKeys(resourcePolicy);
    }
    const res = await runSimulation(
      {
        request: { principal, action: tc.action, resource: { resource, accountId: acct }, contextVariables: context },
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
        additionalSettings: tc.target === 'bucket' ? { s3: { blockPublicAccess: true } } : undefined,
      },
      {},
    );
    let actual: string;
    let detail: string | undefined;
    if (res.resultType === 'error') {
      actual = 'Error';
      detail = res.errors.message + ' ' + JSON.stringify(res.errors).slice(0, 400);
    } else {
      actual = res.overallResult;
      if (res.resultType === 'single') {
        const ignored = res.result.ignoredContextKeys ?? [];
        if (ignored.length) detail = `ignored context keys: ${ignored.join(', ')}`;
        if (actual !== 'Allowed') {
          const reasons = getDenialReasons(res.result.analysis);
          const decisive = reasons.map((d: Json) => d.statementId ?? d.policyType).filter(Boolean);
          if (decisive.length) detail = `${detail ? detail + '; ' : ''}denied by ${decisive.join(', ')}`;
        }
      }
    }
    const ok = tc.expect === 'Denied' ? actual === 'ExplicitlyDenied' || actual === 'ImplicitlyDenied' : actual === tc.expect;
    // A result that leaned on an ignored context key proves nothing: count it as a failure.
    const leaned = detail?.startsWith('ignored context keys') ?? false;
    results.push({ name: tc.name, expect: tc.expect, actual, ok: ok && !leaned, ecMapped, ...(detail ? { detail } : {}) });
  }
  return { results, cases: results.length, failures: results.filter((x) => !x.ok).length, ecMapped: results.filter((x) => x.ecMapped).length };
}
