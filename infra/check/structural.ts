// Structural pins for what the IAM evaluator cannot model (infra/README.md: the policy checks): the KMS
// encryption-context conditions, the key-policy statements KMS evaluates, and settings that are
// not IAM at all (the app client's writable attributes, principal-tag mapping, which key protects
// which part of the detection chain, the EventBridge rule, object lock, Contributor Insights).
// Each check reads the synthesized template (intrinsics resolved for a fictional account) and
// throws on a violation. `npm run infra:check` counts them as policy_structural; vitest runs them.
import assert from 'node:assert/strict';
import { voiceVaultConfig as c } from '../../shared/config';
import { logicalId, resolveTemplate, SIM_ENV, SIM_PARAMETERS } from './resolve';
import type { Json } from './json';

export interface StructuralCheck {
  name: string;
  check: (t: StructuralContext) => void;
}

export interface StructuralContext {
  envelopeKeyPolicy: Json[];
  storageKeyPolicy: Json[];
  auditKeyPolicy: Json[];
  envelopeKeyArn: string;
  storageKeyArn: string;
  auditKeyArn: string;
  /** Logical id → resource, intrinsics unresolved (which resource a property points at). */
  raw: Record<string, Json>;
  parameters: Record<string, Json>;
  bucketArn: string;
  roleArn: { contractor: string; admin: string; pipelineReader: string };
  managed: { contractor: Json[]; admin: Json[]; pipelineReader: Json[] };
  trustOf: (roleName: string) => Json[];
  resources: Record<string, Json>;
  byType: (type: string) => Json[];
  identityPoolId: string;
}

export function structuralContext(templateJson: Json): StructuralContext {
  const r = resolveTemplate(templateJson);
  const T = templateJson.Resources;
  const res = (id: string): Json => r.resolve(T[id]);
  const statements = (doc: Json): Json[] => [doc.Statement].flat();
  const envId = logicalId(templateJson, 'AWS::KMS::Key', 'KeysEnvelopeKey');
  const stoId = logicalId(templateJson, 'AWS::KMS::Key', 'KeysStorageKey');
  const audId = logicalId(templateJson, 'AWS::KMS::Key', 'KeysAuditKey');
  const managed = (prefix: string): Json[] => statements(res(logicalId(templateJson, 'AWS::IAM::ManagedPolicy', prefix)).Properties.PolicyDocument);
  const roles = Object.keys(T).filter((id) => T[id].Type === 'AWS::IAM::Role').map(res);
  const acct = SIM_ENV.account;
  return {
    envelopeKeyPolicy: statements(res(envId).Properties.KeyPolicy),
    storageKeyPolicy: statements(res(stoId).Properties.KeyPolicy),
    auditKeyPolicy: statements(res(audId).Properties.KeyPolicy),
    envelopeKeyArn: r.arn[envId]!,
    storageKeyArn: r.arn[stoId]!,
    auditKeyArn: r.arn[audId]!,
    raw: T,
    parameters: templateJson.Parameters ?? {},
    bucketArn: r.arn[logicalId(templateJson, 'AWS::S3::Bucket', 'DataBucket')]!,
    roleArn: {
      contractor: `arn:aws:iam::${acct}:role/${c.roles.contractor}`,
      admin: `arn:aws:iam::${acct}:role/${c.roles.admin}`,
      pipelineReader: `arn:aws:iam::${acct}:role/${c.roles.pipelineReader}`,
    },
    managed: { contractor: managed('RolesContractorPolicy'), admin: managed('RolesAdminPolicy'), pipelineReader: managed('RolesPipelineReaderPolicy') },
    trustOf: (name) => statements(roles.find((x) => x.Properties.RoleName === name)!.Properties.AssumeRolePolicyDocument),
    resources: Object.fromEntries(Object.keys(T).map((id) => [id, res(id)])),
    byType: (type) => Object.keys(T).filter((id) => T[id].Type === type).map(res),
    identityPoolId: r.ref[logicalId(templateJson, 'AWS::Cognito::IdentityPool', 'IdentityIdentityPool')]!,
  };
}

const arr = (x: Json): Json[] => (x === undefined ? [] : [x].flat());
const sid = (statements: Json[], id: string): Json => {
  const s = statements.find((x) => x.Sid === id);
  assert.ok(s, `statement ${id} missing`);
  return s;
};
const CRYPTO = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:CreateGrant'];
const grantsAction = (statement: Json, action: string): boolean =>
  arr(statement.Action).some((a: string) => a === '*' || a === 'kms:*' || new RegExp(`^${a.replace(/\*/g, '.*')}$`).test(action));
const ownContext = {
  'kms:EncryptionContext:app': c.encryptionContext.app,
  'kms:EncryptionContext:contractor': '${aws:PrincipalTag/contractor}',
  'kms:EncryptionContext:partition': '${aws:PrincipalTag/partition}',
  'kms:EncryptionContext:kind': ['raw', 'features', 'manifest', 'request'],
};
const region = SIM_ENV.region;
const acct = SIM_ENV.account;
const trailArn = `arn:aws:cloudtrail:${region}:${acct}:trail/${c.audit.trailName}`;
const alarmTopicArn = `arn:aws:sns:${region}:${acct}:${c.alarms.topicName}`;
/** The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, …] }` points at. */
const target = (v: Json): string | undefined => v?.Ref ?? v?.['Fn::GetAtt']?.[0];
const one = (t: StructuralContext, type: string, prefix: string): [string, Json] => {
  const found = Object.entries<Json>(t.raw).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  assert.equal(found.length, 1, `one ${type} ${prefix}*`);
  return found[0]!;
};
const ids = (t: StructuralContext, type: string): string[] => Object.keys(t.raw).filter((id) => t.raw[id].Type === type);
const denyTls = (s: Json): boolean => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false';

export const structuralChecks: StructuralCheck[] = [
  {
    name: 'envelope key policy: contractors GenerateDataKey only with their own contractor/partition/app context',
    check: (t) => {
      const s = sid(t.envelopeKeyPolicy, 'ContractorsGenerateDataKeyForOwnContextOnly');
      assert.equal(s.Effect, 'Allow');
      assert.deepEqual(arr(s.Action), ['kms:GenerateDataKey']);
      assert.deepEqual(s.Condition.ArnEquals, { 'aws:PrincipalArn': t.roleArn.contractor });
      assert.deepEqual(s.Condition.StringEquals, ownContext);
      assert.deepEqual(Object.keys(s.Condition).sort(), ['ArnEquals', 'StringEquals']);
    },
  },
  {
    name: 'contractor identity policy: envelope GenerateDataKey carries the same context conditions, on the envelope key only',
    check: (t) => {
      const s = sid(t.managed.contractor, 'EnvelopeGenerateDataKeyOwnContext');
      assert.deepEqual(arr(s.Action), ['kms:GenerateDataKey']);
      assert.deepEqual(arr(s.Resource), [t.envelopeKeyArn]);
      assert.deepEqual(s.Condition, { StringEquals: ownContext });
    },
  },
  {
    name: 'envelope key policy: the pipeline reader may Decrypt only kind features or manifest of app voicevault',
    check: (t) => {
      const s = sid(t.envelopeKeyPolicy, 'PipelineReaderDecryptFeaturesAndManifestsOnly');
      assert.deepEqual(arr(s.Action), ['kms:Decrypt']);
      assert.deepEqual(s.Condition, {
        ArnEquals: { 'aws:PrincipalArn': t.roleArn.pipelineReader },
        StringEquals: { 'kms:EncryptionContext:app': c.encryptionContext.app, 'kms:EncryptionContext:kind': ['features', 'manifest'] },
      });
    },
  },
  {
    name: 'envelope key policy: any other kind (or none) is explicitly denied to the pipeline reader',
    check: (t) => {
      const s = sid(t.envelopeKeyPolicy, 'DenyPipelineReaderDecryptOfOtherKinds');
      assert.equal(s.Effect, 'Deny');
      assert.deepEqual(s.Condition, {
        ArnEquals: { 'aws:PrincipalArn': t.roleArn.pipelineReader },
        StringNotEquals: { 'kms:EncryptionContext:kind': ['features', 'manifest'] },
      });
    },
  },
  {
    name: 'pipeline identity policy: envelope Decrypt with kind features|manifest only; no GenerateDataKey',
    check: (t) => {
      const s = sid(t.managed.pipelineReader, 'EnvelopeDecryptFeaturesAndManifests');
      assert.deepEqual(arr(s.Resource), [t.envelopeKeyArn]);
      assert.deepEqual(s.Condition.StringEquals['kms:EncryptionContext:kind'], ['features', 'manifest']);
      assert.ok(!t.managed.pipelineReader.some((x) => grantsAction(x, 'kms:GenerateDataKey') && arr(x.Resource).includes(t.envelopeKeyArn)));
    },
  },
  {
    name: 'envelope key policy: Decrypt is allowed to nobody but the pipeline reader, and denied to contractor and admin',
    check: (t) => {
      const allows = t.envelopeKeyPolicy.filter((s) => s.Effect === 'Allow' && grantsAction(s, 'kms:Decrypt'));
      assert.deepEqual(allows.map((s) => s.Sid), ['PipelineReaderDecryptFeaturesAndManifestsOnly']);
      const deny = sid(t.envelopeKeyPolicy, 'DenyEnvelopeDecryptToContractorsAndAdmins');
      assert.equal(deny.Effect, 'Deny');
      assert.ok(arr(deny.Action).includes('kms:Decrypt'));
      assert.deepEqual(deny.Condition.ArnEquals['aws:PrincipalArn'], [t.roleArn.contractor, t.roleArn.admin]);
    },
  },
  {
    name: 'identity policies: neither contractor nor admin is granted envelope Decrypt',
    check: (t) => {
      for (const stmts of [t.managed.contractor, t.managed.admin]) {
        for (const s of stmts) {
          const onEnvelope = arr(s.Resource).some((r: string) => r === '*' || r === t.envelopeKeyArn);
          assert.ok(!(onEnvelope && grantsAction(s, 'kms:Decrypt')), `statement ${s.Sid} grants envelope Decrypt`);
        }
      }
    },
  },
  {
    name: 'key policies: administrators get no cryptographic operation; app roles get no administration',
    check: (t) => {
      for (const policy of [t.envelopeKeyPolicy, t.storageKeyPolicy, t.auditKeyPolicy]) {
        const admin = sid(policy, 'KeyAdministrationByAccountAdmins');
        for (const a of CRYPTO) assert.ok(!grantsAction(admin, a), `key administrators granted ${a}`);
        const deny = sid(policy, 'DenyKeyAdministrationToAppRoles');
        assert.equal(deny.Effect, 'Deny');
        assert.ok(arr(deny.Action).includes('kms:PutKeyPolicy') && arr(deny.Action).includes('kms:ScheduleKeyDeletion'));
        assert.deepEqual(deny.Condition.ArnEquals['aws:PrincipalArn'], [t.roleArn.contractor, t.roleArn.admin, t.roleArn.pipelineReader]);
      }
    },
  },
  {
    name: 'storage key policy: account principals use it only via S3 in this region, for this bucket',
    check: (t) => {
      const principalAllows = t.storageKeyPolicy.filter((s) => s.Effect === 'Allow' && s.Principal?.AWS && s.Sid !== 'KeyAdministrationByAccountAdmins');
      assert.ok(principalAllows.length >= 1);
      for (const s of principalAllows) {
        assert.equal(s.Condition.StringEquals['kms:ViaService'], `s3.${SIM_ENV.region}.amazonaws.com`, `${s.Sid} lacks kms:ViaService s3`);
      }
      const s = sid(t.storageKeyPolicy, 'PrincipalsUseOnlyThroughS3ForTheDataBucket');
      assert.deepEqual(arr(s.Action).sort(), ['kms:Decrypt', 'kms:GenerateDataKey']);
      assert.equal(s.Condition.StringEquals['kms:EncryptionContext:aws:s3:arn'], t.bucketArn);
      assert.equal(s.Condition.StringEquals['kms:CallerAccount'], SIM_ENV.account);
    },
  },
  {
    name: 'role identity policies: storage key only with kms:ViaService s3 and the bucket as aws:s3:arn context',
    check: (t) => {
      for (const [role, stmts] of Object.entries(t.managed)) {
        const s = sid(stmts, 'StorageKeyThroughS3Only');
        assert.deepEqual(arr(s.Resource), [t.storageKeyArn], role);
        assert.deepEqual(s.Condition, {
          StringEquals: { 'kms:ViaService': `s3.${SIM_ENV.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': t.bucketArn },
        });
        assert.ok(!grantsAction(s, 'kms:Encrypt') && !grantsAction(s, 'kms:CreateGrant'), role);
      }
    },
  },
  {
    name: 'storage key policy: no service principal may use it (the trail, its logs and the alarm topic have the audit key)',
    check: (t) => {
      assert.deepEqual(t.storageKeyPolicy.filter((s) => s.Principal?.Service).map((s) => s.Sid), []);
      assert.deepEqual(t.storageKeyPolicy.map((s) => s.Sid), ['KeyAdministrationByAccountAdmins', 'DenyKeyAdministrationToAppRoles', 'PrincipalsUseOnlyThroughS3ForTheDataBucket']);
    },
  },
  {
    name: 'audit key policy: CloudTrail may encrypt only for this trail (aws:SourceArn + cloudtrail context)',
    check: (t) => {
      const s = sid(t.auditKeyPolicy, 'CloudTrailEncryptLogs');
      assert.deepEqual(s.Principal, { Service: 'cloudtrail.amazonaws.com' });
      assert.deepEqual(s.Condition, {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${acct}:trail/*` },
      });
      assert.deepEqual(sid(t.auditKeyPolicy, 'CloudTrailDescribeKey').Condition, { StringEquals: { 'aws:SourceArn': trailArn } });
    },
  },
  {
    name: 'audit key policy: CloudWatch Logs may use it only for the trail log group (aws:logs:arn context)',
    check: (t) => {
      const s = sid(t.auditKeyPolicy, 'CloudWatchLogsEncryptTheTrailLogGroup');
      assert.deepEqual(s.Principal, { Service: `logs.${region}.amazonaws.com` });
      assert.deepEqual(s.Condition, { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${acct}:log-group:${c.audit.logGroupName}` } });
    },
  },
  {
    name: 'audit key policy: CloudWatch may use it only for the alarm topic (aws:sns:topicArn context) and this account',
    check: (t) => {
      const cw = t.auditKeyPolicy.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
      assert.equal(cw.length, 1);
      assert.deepEqual(arr(cw[0].Action), ['kms:Decrypt', 'kms:GenerateDataKey*']);
      assert.deepEqual(cw[0].Condition, { StringEquals: { 'aws:SourceAccount': acct, 'kms:EncryptionContext:aws:sns:topicArn': alarmTopicArn } });
    },
  },
  {
    name: 'every service-principal statement on the audit key carries a source or context condition',
    check: (t) => {
      for (const s of t.auditKeyPolicy.filter((x) => x.Principal?.Service)) {
        assert.ok(s.Condition && Object.keys(s.Condition).length > 0, `${s.Sid} has no condition`);
      }
    },
  },
  {
    name: 'detection chain: trail, trail log group and alarm topic under the audit key; the data bucket under the storage key',
    check: (t) => {
      const [auditKey] = one(t, 'AWS::KMS::Key', 'KeysAuditKey');
      const [storageKey] = one(t, 'AWS::KMS::Key', 'KeysStorageKey');
      assert.equal(target(one(t, 'AWS::CloudTrail::Trail', 'AuditTrail')[1].Properties.KMSKeyId), auditKey, 'trail');
      assert.equal(target(one(t, 'AWS::Logs::LogGroup', 'AuditTrailLogGroup')[1].Properties.KmsKeyId), auditKey, 'log group');
      assert.equal(target(one(t, 'AWS::SNS::Topic', 'AlarmsTopic')[1].Properties.KmsMasterKeyId), auditKey, 'alarm topic');
      const sse = one(t, 'AWS::S3::Bucket', 'DataBucket')[1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
      assert.equal(target(sse.ServerSideEncryptionByDefault.KMSMasterKeyID), storageKey, 'data bucket');
    },
  },
  {
    name: "alarm topic policy: CloudWatch may publish only from this account, for exactly the stack's alarms",
    check: (t) => {
      const [topicId] = one(t, 'AWS::SNS::Topic', 'AlarmsTopic');
      const [policyId] = one(t, 'AWS::SNS::TopicPolicy', 'AlarmsTopicPolicy');
      const raw = t.raw[policyId].Properties;
      assert.deepEqual(raw.Topics.map(target), [topicId]);
      const stmts = arr(t.resources[policyId].Properties.PolicyDocument.Statement);
      assert.ok(stmts.some(denyTls), 'TLS-only deny');
      const allows = stmts.filter((s) => s.Effect === 'Allow');
      assert.equal(allows.length, 1);
      assert.deepEqual(allows[0].Principal, { Service: 'cloudwatch.amazonaws.com' });
      assert.deepEqual(arr(allows[0].Action), ['sns:Publish']);
      const alarmArns = ids(t, 'AWS::CloudWatch::Alarm').map((id) => `arn:aws:cloudwatch:${region}:${acct}:alarm:${t.resources[id].Properties.AlarmName}`);
      assert.deepEqual(allows[0].Condition, { StringEquals: { 'aws:SourceAccount': acct }, ArnEquals: { 'aws:SourceArn': alarmArns } });
    },
  },
  {
    name: 'key events: an EventBridge rule catches DisableKey/ScheduleKeyDeletion/PutKeyPolicy on every key, into a topic under no KMS key',
    check: (t) => {
      const [, rule] = one(t, 'AWS::Events::Rule', 'AlarmsKeyEventsRule');
      const p = rule.Properties.EventPattern;
      assert.deepEqual(p.source, ['aws.kms']);
      assert.deepEqual(p.detail.eventName, ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy']);
      const keys = ids(t, 'AWS::KMS::Key');
      assert.equal(keys.length, 3);
      const [byResource, byRequest] = p.detail.$or;
      assert.deepEqual(byResource.resources.ARN.map(target).sort(), [...keys].sort());
      assert.deepEqual([...new Set(byRequest.requestParameters.keyId.map(target))].sort(), [...keys].sort());
      assert.equal(rule.Properties.State, 'ENABLED');
      const topics = rule.Properties.Targets.map((x: Json) => target(x.Arn));
      assert.equal(topics.length, 1);
      const topic = t.raw[topics[0]];
      assert.equal(topic.Type, 'AWS::SNS::Topic');
      assert.equal(topic.Properties.KmsMasterKeyId, undefined, 'the key-events topic must not depend on a VoiceVault key');
      const [policyId] = one(t, 'AWS::SNS::TopicPolicy', 'AlarmsKeyEventsTopicPolicy');
      const stmts = arr(t.resources[policyId].Properties.PolicyDocument.Statement);
      assert.ok(stmts.some(denyTls), 'TLS-only deny');
      const allows = stmts.filter((s) => s.Effect === 'Allow');
      assert.equal(allows.length, 1);
      assert.deepEqual(allows[0].Principal, { Service: 'events.amazonaws.com' });
      assert.deepEqual(allows[0].Condition, { StringEquals: { 'aws:SourceAccount': acct }, ArnEquals: { 'aws:SourceArn': `arn:aws:events:${region}:${acct}:rule/${c.alarms.keyEventsRuleName}` } });
    },
  },
  {
    name: 'app client writes no attribute that means anything: not email, not custom:partition, never an empty list',
    check: (t) => {
      const [client] = t.byType('AWS::Cognito::UserPoolClient');
      // [] would read as "every standard attribute" in Cognito: exactly the one inert attribute.
      assert.deepEqual(arr(client.Properties.WriteAttributes), ['zoneinfo']);
      assert.ok(!arr(client.Properties.ReadAttributes).includes('zoneinfo'));
      assert.ok(arr(client.Properties.ReadAttributes).includes(`custom:${c.userPool.partitionAttribute}`));
    },
  },
  {
    name: 'identity pool: session principal tags contractor ← sub, partition ← custom:partition, no defaults',
    check: (t) => {
      const [tags] = t.byType('AWS::Cognito::IdentityPoolPrincipalTag');
      assert.deepEqual(tags.Properties.PrincipalTags, { contractor: 'sub', partition: `custom:${c.userPool.partitionAttribute}` });
      assert.equal(tags.Properties.UseDefaults, false);
    },
  },
  {
    name: 'contractor and admin trust: cognito-identity web identity, this pool, authenticated only, TagSession',
    check: (t) => {
      for (const name of [c.roles.contractor, c.roles.admin]) {
        const [s, ...rest] = t.trustOf(name);
        assert.equal(rest.length, 0);
        assert.deepEqual(s.Principal, { Federated: 'cognito-identity.amazonaws.com' });
        assert.deepEqual(arr(s.Action).sort(), ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']);
        assert.deepEqual(s.Condition.StringEquals, { 'cognito-identity.amazonaws.com:aud': t.identityPoolId });
        assert.deepEqual(s.Condition['ForAnyValue:StringLike'], { 'cognito-identity.amazonaws.com:amr': 'authenticated' });
      }
    },
  },
  {
    name: 'pipeline-reader trust: only the principals named in PipelineReaderPrincipals (no default, never the account root)',
    check: (t) => {
      const [s, ...rest] = t.trustOf(c.roles.pipelineReader);
      assert.equal(rest.length, 0);
      assert.deepEqual(s, { Sid: 'NamedPipelinePrincipalsOnly', Effect: 'Allow', Principal: { AWS: [SIM_PARAMETERS.PipelineReaderPrincipals] }, Action: 'sts:AssumeRole' });
      const param = t.parameters.PipelineReaderPrincipals;
      assert.equal(param.Type, 'CommaDelimitedList');
      assert.equal(param.Default, undefined);
      const pattern = new RegExp(param.AllowedPattern);
      assert.ok(!pattern.test(`arn:aws:iam::${acct}:root`) && !pattern.test(acct) && !pattern.test('*'), 'the pattern must refuse the account');
    },
  },
  {
    name: 'data bucket: contractors cannot upload without If-None-Match (PutObject and CompleteMultipartUpload; the other multipart calls exempt)',
    check: (t) => {
      const s = sid(bucketPolicy(t), 'DenyContractorOverwrites');
      assert.equal(s.Effect, 'Deny');
      assert.deepEqual(arr(s.Action), ['s3:PutObject']);
      assert.deepEqual(arr(s.Resource), [`${t.bucketArn}/*`]);
      assert.deepEqual(s.Condition, {
        Null: { 's3:if-none-match': 'true' },
        Bool: { 's3:ObjectCreationOperation': 'true' },
        ArnEquals: { 'aws:PrincipalArn': t.roleArn.contractor },
      });
    },
  },
  {
    name: 'data bucket: the deletion feed is append-only (If-None-Match puts, no deletes by anyone)',
    check: (t) => {
      const feed = `${t.bucketArn}/${c.bucket.prefixes.deletions}/*`;
      const put = sid(bucketPolicy(t), 'DenyDeletionFeedOverwrites');
      assert.equal(put.Effect, 'Deny');
      assert.deepEqual(put.Condition, { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } });
      assert.deepEqual(arr(put.Resource), [feed]);
      const del = sid(bucketPolicy(t), 'DenyDeletionFeedDeletes');
      assert.deepEqual({ Effect: del.Effect, Principal: del.Principal, Action: arr(del.Action), Resource: arr(del.Resource), Condition: del.Condition }, {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: [feed],
        Condition: undefined,
      });
    },
  },
  {
    name: 'data bucket: SSE-C is blocked by the bucket and denied by its policy',
    check: (t) => {
      const [, bucket] = one(t, 'AWS::S3::Bucket', 'DataBucket');
      assert.deepEqual(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].BlockedEncryptionTypes, { EncryptionType: ['SSE-C'] });
      const s = sid(bucketPolicy(t), 'DenyUploadsWithCustomerProvidedKeys');
      assert.equal(s.Effect, 'Deny');
      assert.deepEqual(s.Condition, { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } });
    },
  },
  {
    name: 'trail bucket: object lock mode is the TrailObjectLockMode parameter, default COMPLIANCE, 365 days',
    check: (t) => {
      const [, bucket] = one(t, 'AWS::S3::Bucket', 'AuditTrailBucket');
      assert.deepEqual(bucket.Properties.ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: { Ref: 'TrailObjectLockMode' }, Days: 365 } } });
      assert.equal(t.parameters.TrailObjectLockMode.Default, 'COMPLIANCE');
    },
  },
  {
    name: 'Contributor Insights counts GetObject per session issuer (a reader rotating session names stays one principal)',
    check: (t) => {
      const [, rule] = one(t, 'AWS::CloudWatch::InsightRule', 'AlarmsGetObjectPerPrincipalRule');
      assert.deepEqual(JSON.parse(rule.Properties.RuleBody).Contribution.Keys, ['$.userIdentity.sessionContext.sessionIssuer.arn']);
    },
  },
  {
    name: 'envelope-key Decrypt volume: a metric filter names the envelope key and an alarm watches its metric',
    check: (t) => {
      const filters = ids(t, 'AWS::Logs::MetricFilter').map((id) => t.resources[id].Properties);
      const f = filters.find((x) => x.MetricTransformations[0].MetricName === 'EnvelopeDecryptVolume');
      assert.ok(f, 'filter missing');
      assert.equal(f.FilterPattern, `{ ($.eventSource = "kms.amazonaws.com") && ($.eventName = "Decrypt") && ($.resources[0].ARN = "${t.envelopeKeyArn}") }`);
      const alarm = ids(t, 'AWS::CloudWatch::Alarm').map((id) => t.resources[id].Properties).find((a) => a.MetricName === 'EnvelopeDecryptVolume');
      assert.ok(alarm, 'alarm missing');
      assert.equal(alarm.Namespace, c.alarms.metricNamespace);
    },
  },
];

const bucketPolicy = (t: StructuralContext): Json[] => {
  const [id] = one(t, 'AWS::S3::BucketPolicy', 'DataBucketPolicy');
  return arr(t.resources[id].Properties.PolicyDocument.Statement);
};

export function runStructural(templateJson: Json): { name: string; ok: boolean; error?: string }[] {
  const ctx = structuralContext(templateJson);
  return structuralChecks.map(({ name, check }) => {
    try {
      check(ctx);
      return { name, ok: true };
    } catch (e) {
      return { name, ok: false, error: (e as Error).message };
    }
  });
}
