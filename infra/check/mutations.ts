// Mutation tests: weaken the synthesized template one way at a time and check that the policy
// matrix, a structural pin or the alarm walk fails, naming the failures we expect (written out).
// `npm run infra:check` runs them too (policy_mutations); a mutation nobody catches is a failure.
import { walkAlarms } from './alarm-walk';
import type { Json } from './json';
import { runPolicyMatrix } from './policy-matrix';
import { runStructural } from './structural';

export interface Mutation {
  name: string;
  mutate: (template: Json) => void;
  /** Failing case, pin or alarm-walk names (`alarm walk: <alarm>`) that must appear. */
  caughtBy: string[];
}

const resourceOf = (t: Json, type: string, prefix: string): Json => {
  const ids = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === type && id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`mutation: expected one ${type} ${prefix}*, found ${ids.length}`);
  return t.Resources[ids[0]!];
};
const statement = (doc: Json, sid: string): Json => {
  const s = doc.Statement.find((x: Json) => x.Sid === sid);
  if (!s) throw new Error(`mutation: statement ${sid} not found`);
  return s;
};
const dropStatement = (doc: Json, sid: string): void => {
  const i = doc.Statement.findIndex((x: Json) => x.Sid === sid);
  if (i < 0) throw new Error(`mutation: statement ${sid} not found`);
  doc.Statement.splice(i, 1);
};
const bucketPolicy = (t: Json): Json => resourceOf(t, 'AWS::S3::BucketPolicy', 'DataBucketPolicy').Properties.PolicyDocument;
const managed = (t: Json, prefix: string): Json => resourceOf(t, 'AWS::IAM::ManagedPolicy', prefix).Properties.PolicyDocument;
const keyPolicy = (t: Json, prefix: string): Json => resourceOf(t, 'AWS::KMS::Key', prefix).Properties.KeyPolicy;
const topicPolicy = (t: Json, prefix: string): Json => resourceOf(t, 'AWS::SNS::TopicPolicy', prefix).Properties.PolicyDocument;
const ALL_ALARMS = [
  'bulk-getobject',
  'kms-key-disable-or-deletion',
  'bucket-policy-changes',
  'cloudtrail-changes',
  'unauthorized-api-calls',
  'envelope-decrypt-volume',
  'getobject-per-principal',
].map((n) => `alarm walk: voicevault-${n}`);

export const mutations: Mutation[] = [
  {
    name: 'drop the Null guard of the "another key" upload Deny (it would then deny every UploadPart)',
    mutate: (t) => delete statement(bucketPolicy(t), 'DenyUploadsNamingAnotherKey').Condition.Null,
    caughtBy: ['contractor A uploads a part (no SSE or conditional headers)', 'contractor A completes a multipart upload with If-None-Match (no SSE headers)'],
  },
  {
    name: "widen the contractor's write resource to every contractor of the partition",
    mutate: (t) => {
      const s = statement(managed(t, 'RolesContractorPolicy'), 'WriteOwnSamplePrefixes');
      s.Resource = JSON.parse(JSON.stringify(s.Resource).replaceAll('/${aws:PrincipalTag/contractor}/*', '/*'));
    },
    caughtBy: ["contractor A cannot put to contractor B's prefix", "contractor A cannot put a request under contractor B's prefix"],
  },
  {
    name: 'remove the If-None-Match Deny for contractors',
    mutate: (t) => dropStatement(bucketPolicy(t), 'DenyContractorOverwrites'),
    caughtBy: [
      'contractor A cannot overwrite: a put without If-None-Match is denied',
      'contractor A cannot complete a multipart upload without If-None-Match',
      'data bucket: contractors cannot upload without If-None-Match (PutObject and CompleteMultipartUpload; the other multipart calls exempt)',
    ],
  },
  {
    name: 'exempt every upload from If-None-Match (ObjectCreationOperation guard turned to false)',
    mutate: (t) => {
      statement(bucketPolicy(t), 'DenyContractorOverwrites').Condition.Bool['s3:ObjectCreationOperation'] = 'false';
    },
    caughtBy: [
      'contractor A cannot overwrite: a put without If-None-Match is denied',
      'contractor A uploads a part (no SSE or conditional headers)',
      'data bucket: contractors cannot upload without If-None-Match (PutObject and CompleteMultipartUpload; the other multipart calls exempt)',
    ],
  },
  {
    name: 'add envelope Decrypt to the contractor identity policy (the key-policy Deny still holds, so only a pin sees it)',
    mutate: (t) => {
      statement(managed(t, 'RolesContractorPolicy'), 'EnvelopeGenerateDataKeyOwnContext').Action = ['kms:GenerateDataKey', 'kms:Decrypt'];
    },
    caughtBy: [
      'contractor identity policy: envelope GenerateDataKey carries the same context conditions, on the envelope key only',
      'identity policies: neither contractor nor admin is granted envelope Decrypt',
    ],
  },
  {
    name: 'give the app client email as a write attribute',
    mutate: (t) => {
      resourceOf(t, 'AWS::Cognito::UserPoolClient', 'IdentityUserPoolDesktopClient').Properties.WriteAttributes = ['email'];
    },
    caughtBy: ['app client writes no attribute that means anything: not email, not custom:partition, never an empty list'],
  },
  {
    name: 'give the app client an empty write-attribute list (Cognito: every standard attribute)',
    mutate: (t) => {
      resourceOf(t, 'AWS::Cognito::UserPoolClient', 'IdentityUserPoolDesktopClient').Properties.WriteAttributes = [];
    },
    caughtBy: ['app client writes no attribute that means anything: not email, not custom:partition, never an empty list'],
  },
  {
    name: "drop the contractor id from the envelope key policy's context condition (identity policy unchanged: only a pin sees it)",
    mutate: (t) => delete statement(keyPolicy(t, 'KeysEnvelopeKey'), 'ContractorsGenerateDataKeyForOwnContextOnly').Condition.StringEquals['kms:EncryptionContext:contractor'],
    caughtBy: ['envelope key policy: contractors GenerateDataKey only with their own contractor/partition/app context'],
  },
  {
    name: 'let the pipeline reader decrypt raw',
    mutate: (t) => {
      dropStatement(keyPolicy(t, 'KeysEnvelopeKey'), 'DenyPipelineReaderDecryptOfOtherKinds');
      statement(keyPolicy(t, 'KeysEnvelopeKey'), 'PipelineReaderDecryptFeaturesAndManifestsOnly').Condition.StringEquals['kms:EncryptionContext:kind'].push('raw');
      statement(managed(t, 'RolesPipelineReaderPolicy'), 'EnvelopeDecryptFeaturesAndManifests').Condition.StringEquals['kms:EncryptionContext:kind'].push('raw');
    },
    caughtBy: ['pipeline cannot decrypt raw', 'pipeline cannot decrypt without a kind', 'envelope key policy: any other kind (or none) is explicitly denied to the pipeline reader'],
  },
  {
    name: "drop the s3:prefix condition from the pipeline reader's ListBucket",
    mutate: (t) => delete statement(managed(t, 'RolesPipelineReaderPolicy'), 'ListFeaturesManifestsAndDeletions').Condition,
    caughtBy: ['pipeline cannot list raw', 'pipeline cannot list consent-withdrawal requests', 'pipeline cannot list the whole bucket (no prefix)'],
  },
  {
    name: 'let the whole account assume the pipeline-reader role',
    mutate: (t) => {
      const role = Object.values<Json>(t.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'voicevault-pipeline-reader');
      role.Properties.AssumeRolePolicyDocument.Statement[0].Principal = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } };
    },
    caughtBy: [
      'another role in the same account cannot assume the pipeline-reader role',
      'pipeline-reader trust: only the principals named in PipelineReaderPrincipals (no default, never the account root)',
    ],
  },
  {
    name: 'let anyone delete from the deletion feed',
    mutate: (t) => dropStatement(bucketPolicy(t), 'DenyDeletionFeedDeletes'),
    caughtBy: [
      'admin cannot delete a deletion-feed entry',
      'admin cannot delete a version of a deletion-feed entry',
      'pipeline cannot delete the deletion feed',
      'data bucket: the deletion feed is append-only (If-None-Match puts, no deletes by anyone)',
    ],
  },
  {
    name: 'stop denying SSE-C uploads in the bucket policy',
    mutate: (t) => dropStatement(bucketPolicy(t), 'DenyUploadsWithCustomerProvidedKeys'),
    caughtBy: ['contractor A upload with a customer-provided key (SSE-C) is denied', 'data bucket: SSE-C is blocked by the bucket and denied by its policy'],
  },
  {
    name: 'let the admin add users to groups (self-made admins)',
    mutate: (t) => statement(managed(t, 'RolesAdminPolicy'), 'ManageContractors').Action.push('cognito-idp:AdminAddUserToGroup'),
    caughtBy: ['admin cannot add users to groups (no self-made admins)'],
  },
  {
    name: 'let CloudWatch publish any alarm to the alarm topic (no aws:SourceArn)',
    mutate: (t) => delete statement(topicPolicy(t, 'AlarmsTopicPolicy'), 'CloudWatchAlarmsPublish').Condition.ArnEquals,
    caughtBy: ['CloudWatch cannot publish an alarm the stack does not own', "alarm topic policy: CloudWatch may publish only from this account, for exactly the stack's alarms"],
  },
  {
    name: 'drop CloudWatch from the alarm topic policy (no alarm could notify)',
    mutate: (t) => dropStatement(topicPolicy(t, 'AlarmsTopicPolicy'), 'CloudWatchAlarmsPublish'),
    caughtBy: ['CloudWatch publishes a VoiceVault alarm to the alarm topic', "alarm topic policy: CloudWatch may publish only from this account, for exactly the stack's alarms", ...ALL_ALARMS],
  },
  {
    name: "drop the topic context from CloudWatch's use of the audit key",
    mutate: (t) => delete statement(keyPolicy(t, 'KeysAuditKey'), 'CloudWatchAlarmsUseItForTheAlarmTopicOnly').Condition.StringEquals['kms:EncryptionContext:aws:sns:topicArn'],
    caughtBy: ['CloudWatch cannot use the audit key for another topic', 'audit key policy: CloudWatch may use it only for the alarm topic (aws:sns:topicArn context) and this account'],
  },
  {
    name: 'drop CloudWatch from the audit key policy (the topic could not be encrypted for an alarm)',
    mutate: (t) => dropStatement(keyPolicy(t, 'KeysAuditKey'), 'CloudWatchAlarmsUseItForTheAlarmTopicOnly'),
    caughtBy: [
      'CloudWatch encrypts for the alarm topic with the audit key',
      'audit key policy: CloudWatch may use it only for the alarm topic (aws:sns:topicArn context) and this account',
      ...ALL_ALARMS,
    ],
  },
  {
    name: 'encrypt the key-events topic with the audit key (it would go silent when that key is disabled)',
    mutate: (t) => {
      resourceOf(t, 'AWS::SNS::Topic', 'AlarmsKeyEventsTopic').Properties.KmsMasterKeyId = { 'Fn::GetAtt': [Object.keys(t.Resources).find((id) => id.startsWith('KeysAuditKey')), 'Arn'] };
    },
    caughtBy: ['key events: an EventBridge rule catches DisableKey/ScheduleKeyDeletion/PutKeyPolicy on every key, into a topic under no KMS key'],
  },
  {
    name: 'stop watching the audit key in the key-events rule',
    mutate: (t) => {
      const or = resourceOf(t, 'AWS::Events::Rule', 'AlarmsKeyEventsRule').Properties.EventPattern.detail.$or;
      const notAudit = (v: Json): boolean => !JSON.stringify(v).includes('KeysAuditKey');
      or[0].resources.ARN = or[0].resources.ARN.filter(notAudit);
      or[1].requestParameters.keyId = or[1].requestParameters.keyId.filter(notAudit);
    },
    caughtBy: ['key events: an EventBridge rule catches DisableKey/ScheduleKeyDeletion/PutKeyPolicy on every key, into a topic under no KMS key'],
  },
  {
    name: 'put the trail back under the storage key',
    mutate: (t) => {
      resourceOf(t, 'AWS::CloudTrail::Trail', 'AuditTrail').Properties.KMSKeyId = { 'Fn::GetAtt': [Object.keys(t.Resources).find((id) => id.startsWith('KeysStorageKey')), 'Arn'] };
    },
    caughtBy: ['detection chain: trail, trail log group and alarm topic under the audit key; the data bucket under the storage key'],
  },
  {
    name: 'default the trail object lock to GOVERNANCE',
    mutate: (t) => {
      t.Parameters.TrailObjectLockMode.Default = 'GOVERNANCE';
    },
    caughtBy: ['trail bucket: object lock mode is the TrailObjectLockMode parameter, default COMPLIANCE, 365 days'],
  },
  {
    name: 'key Contributor Insights on the session ARN again (rotating session names escape it)',
    mutate: (t) => {
      const rule = resourceOf(t, 'AWS::CloudWatch::InsightRule', 'AlarmsGetObjectPerPrincipalRule').Properties;
      const body = JSON.parse(rule.RuleBody);
      body.Contribution.Keys = ['$.userIdentity.arn'];
      rule.RuleBody = JSON.stringify(body);
    },
    caughtBy: ['Contributor Insights counts GetObject per session issuer (a reader rotating session names stays one principal)'],
  },
];

export interface MutationResult {
  name: string;
  caught: boolean;
  expected: string[];
  failures: string[];
}

/** Every failing matrix case, structural pin and alarm walk on a template. */
export async function failuresOf(template: Json): Promise<string[]> {
  const matrix = await runPolicyMatrix(template);
  const structural = runStructural(template);
  const walks = await walkAlarms(template);
  return [
    ...matrix.results.filter((r) => !r.ok).map((r) => r.name),
    ...structural.filter((s) => !s.ok).map((s) => s.name),
    ...walks.filter((w) => !w.ok).map((w) => `alarm walk: ${w.alarm}`),
  ];
}

export async function runMutation(template: Json, m: Mutation): Promise<MutationResult> {
  const copy = structuredClone(template);
  m.mutate(copy);
  const failures = await failuresOf(copy);
  return { name: m.name, caught: m.caughtBy.length > 0 && m.caughtBy.every((n) => failures.includes(n)), expected: m.caughtBy, failures };
}

export async function runMutations(template: Json): Promise<MutationResult[]> {
  const results: MutationResult[] = [];
  for (const m of mutations) results.push(await runMutation(template, m));
  return results;
}
