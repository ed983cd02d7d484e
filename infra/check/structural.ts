// Structural pins for what the IAM evaluator cannot model (DESIGN.md: iam-simulate): the KMS
// encryption-context conditions, the key-policy statements KMS evaluates, and Cognito settings
// that are not IAM at all (the app client's writable attributes, principal-tag mapping, trust).
// Each check reads the synthesized template (intrinsics resolved for a fictional account) and
// throws on a violation. `npm run infra:check` counts them as policy_structural; vitest runs them.
import assert from 'node:assert/strict';
import { voiceVaultConfig as c } from '../../shared/config';
import { logicalId, resolveTemplate, SIM_ENV } from './resolve';
import type { Json } from './json';


export interface StructuralCheck {
  name: string;
  check: (t: StructuralContext) => void;
}

export interface StructuralContext {
  envelopeKeyPolicy: Json[];
  storageKeyPolicy: Json[];
  envelopeKeyArn: string;
  storageKeyArn: string;
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
  const managed = (prefix: string): Json[] => statements(res(logicalId(templateJson, 'AWS::IAM::ManagedPolicy', prefix)).Properties.PolicyDocument);
  const roles = Object.keys(T).filter((id) => T[id].Type === 'AWS::IAM::Role').map(res);
  const acct = SIM_ENV.account;
  return {
    envelopeKeyPolicy: statements(res(envId).Properties.KeyPolicy),
    storageKeyPolicy: statements(res(stoId).Properties.KeyPolicy),
    envelopeKeyArn: r.arn[envId]!,
    storageKeyArn: r.arn[stoId]!,
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
  'kms:EncryptionContext:kind': ['raw', 'features', 'manifest'],
};

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
      for (const policy of [t.envelopeKeyPolicy, t.storageKeyPolicy]) {
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
    name: 'storage key policy: CloudTrail may encrypt only for this trail (aws:SourceArn + cloudtrail context)',
    check: (t) => {
      const trailArn = `arn:aws:cloudtrail:${SIM_ENV.region}:${SIM_ENV.account}:trail/${c.audit.trailName}`;
      const s = sid(t.storageKeyPolicy, 'CloudTrailEncryptLogs');
      assert.deepEqual(s.Principal, { Service: 'cloudtrail.amazonaws.com' });
      assert.equal(s.Condition.StringEquals['aws:SourceArn'], trailArn);
      assert.equal(s.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn'], `arn:aws:cloudtrail:*:${SIM_ENV.account}:trail/*`);
      assert.equal(sid(t.storageKeyPolicy, 'CloudTrailDescribeKey').Condition.StringEquals['aws:SourceArn'], trailArn);
    },
  },
  {
    name: 'storage key policy: CloudWatch Logs may use it only for the trail log group (aws:logs:arn context)',
    check: (t) => {
      const s = sid(t.storageKeyPolicy, 'CloudWatchLogsEncryptTheTrailLogGroup');
      assert.deepEqual(s.Principal, { Service: `logs.${SIM_ENV.region}.amazonaws.com` });
      assert.deepEqual(s.Condition, {
        ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${SIM_ENV.region}:${SIM_ENV.account}:log-group:${c.audit.logGroupName}` },
      });
    },
  },
  {
    name: 'every service-principal statement on the storage key carries a source or context condition',
    check: (t) => {
      for (const s of t.storageKeyPolicy.filter((x) => x.Principal?.Service)) {
        assert.ok(s.Condition && Object.keys(s.Condition).length > 0, `${s.Sid} has no condition`);
      }
    },
  },
  {
    name: 'app client cannot write custom:partition (a contractor cannot move themselves)',
    check: (t) => {
      const [client] = t.byType('AWS::Cognito::UserPoolClient');
      assert.ok(!arr(client.Properties.WriteAttributes).includes(`custom:${c.userPool.partitionAttribute}`));
      assert.deepEqual(arr(client.Properties.WriteAttributes), [...c.appClient.writeAttributes]);
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
];

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
