// The emulator provisioning (main/emulator/plan.ts) and this stack read the same config. This
// test derives the same plan shape from the synthesized template and allows exactly the
// differences `emulatorDifferences` declares, plus one documented by design (below).
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorPlan, type EmulatorPlan } from '../main/emulator/plan';
import { emulatorDifferences, voiceVaultConfig, type AuthFlow } from '../shared/config';
import { synthesizedTemplate } from './lib/template-cache';
import type { Json } from './check/json';

type StackPlan = Omit<EmulatorPlan, 'bucket'> & { bucket: Omit<EmulatorPlan['bucket'], 'lifecycle' | 'name'> & { name: unknown; hasLifecycle: boolean } };

let json: Json;
let stack: StackPlan;
let plan: EmulatorPlan;

function ofType(type: string): [string, Json][] {
  return Object.entries<Json>(json.Resources).filter(([, r]) => r.Type === type);
}
function single(type: string): Json {
  const all = ofType(type);
  expect(all, type).toHaveLength(1);
  return all[0]![1];
}
const boolOf = (v: unknown): boolean => v === true || v === 'true';

function planFromTemplate(): StackPlan {
  const keyIds = ofType('AWS::KMS::Key').map(([id]) => id);
  const aliasOf = (keyId: string): string => {
    const alias = ofType('AWS::KMS::Alias').find(([, a]) => a.Properties.TargetKeyId['Fn::GetAtt']?.[0] === keyId);
    expect(alias, `alias for ${keyId}`).toBeDefined();
    return alias![1].Properties.AliasName;
  };
  const dataBucket = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('DataBucket'))![1].Properties;
  const sse = dataBucket.BucketEncryption.ServerSideEncryptionConfiguration[0];
  const bpa = dataBucket.PublicAccessBlockConfiguration;
  const pool = single('AWS::Cognito::UserPool').Properties;
  const client = single('AWS::Cognito::UserPoolClient').Properties;
  const identityPool = single('AWS::Cognito::IdentityPool').Properties;
  const tags = single('AWS::Cognito::IdentityPoolPrincipalTag').Properties;
  const roleNames = ofType('AWS::IAM::Role').map(([, r]) => r.Properties.RoleName).filter(Boolean);
  const pw = pool.Policies.PasswordPolicy;
  const standardAttrs = new Set(['email', 'email_verified', 'name', 'phone_number', 'sub']);
  return {
    keys: keyIds
      // Declared difference (emulatorDifferences.auditKey): the audit key exists in the stack only.
      .filter((id) => aliasOf(id) !== voiceVaultConfig.keys.audit.alias)
      .map((id) => {
        const k = json.Resources[id].Properties;
        const alias = aliasOf(id);
        return { role: alias.endsWith('envelope') ? ('envelope' as const) : ('storage' as const), alias, description: k.Description, rotation: k.EnableKeyRotation === true };
      })
      .sort((a, b) => (a.role === 'envelope' ? -1 : b.role === 'envelope' ? 1 : 0)),
    bucket: {
      name: dataBucket.BucketName,
      versioning: dataBucket.VersioningConfiguration?.Status === 'Enabled',
      defaultEncryption: {
        algorithm: sse.ServerSideEncryptionByDefault.SSEAlgorithm,
        keyAlias: aliasOf(sse.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0]),
        bucketKey: sse.BucketKeyEnabled === true,
      },
      blockPublicAccess: {
        blockPublicAcls: bpa.BlockPublicAcls,
        ignorePublicAcls: bpa.IgnorePublicAcls,
        blockPublicPolicy: bpa.BlockPublicPolicy,
        restrictPublicBuckets: bpa.RestrictPublicBuckets,
      },
      hasLifecycle: dataBucket.LifecycleConfiguration !== undefined,
    },
    userPool: {
      name: pool.UserPoolName,
      customAttributes: (pool.Schema ?? [])
        .filter((a: Json) => !standardAttrs.has(a.Name))
        .map((a: Json) => ({ name: a.Name, mutable: a.Mutable === true })),
      passwordPolicy: {
        minimumLength: pw.MinimumLength,
        requireLowercase: pw.RequireLowercase,
        requireUppercase: pw.RequireUppercase,
        requireDigits: pw.RequireNumbers,
        requireSymbols: pw.RequireSymbols,
      },
      adminCreateUserOnly: pool.AdminCreateUserConfig.AllowAdminCreateUserOnly === true,
      groups: ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName),
    },
    appClient: {
      name: client.ClientName,
      generateSecret: client.GenerateSecret,
      explicitAuthFlows: client.ExplicitAuthFlows,
      readAttributes: [...client.ReadAttributes].sort(),
      writeAttributes: [...client.WriteAttributes].sort(),
    },
    identityPool: {
      name: identityPool.IdentityPoolName,
      allowUnauthenticated: boolOf(identityPool.AllowUnauthenticatedIdentities),
      principalTags: tags.PrincipalTags,
    },
    roles: Object.fromEntries(
      Object.entries(plan.roles).map(([k, name]) => [k, roleNames.includes(name) ? name : `<missing ${name}>`]),
    ) as unknown as EmulatorPlan['roles'],
  };
}

// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  json = await synthesizedTemplate();
  plan = emulatorPlan();
  stack = planFromTemplate();
}, 240_000);

describe('emulator provisioning vs. CDK stack', () => {
  it('keys: same aliases, descriptions and rotation', () => {
    expect(stack.keys).toEqual(plan.keys);
  });

  it('data bucket: same versioning, default encryption (storage key, bucket key) and public-access block', () => {
    const { name: _stackName, hasLifecycle, ...rest } = stack.bucket;
    const { name: planName, lifecycle, ...planRest } = plan.bucket;
    expect(rest).toEqual(planRest);
    // Declared difference: the emulator bucket has a fixed name; the real one adds account and region.
    expect(planName).toBe(emulatorDifferences.bucketName);
    // By design, not a divergence: the stack declares no lifecycle rules (the partition tooling
    // owns them); the emulator provisioning applies the global rules once, as the tooling would.
    expect(hasLifecycle).toBe(false);
    expect(lifecycle.abortIncompleteMultipartDays).toBeGreaterThan(0);
  });

  it('user pool: same custom attributes, password policy, admin-create-only and groups', () => {
    expect(stack.userPool).toEqual(plan.userPool);
  });

  it('app client: same name, public, same attributes; auth flows differ by exactly emulatorDifferences.appClientExtraAuthFlows', () => {
    const { explicitAuthFlows: stackFlows, ...stackRest } = stack.appClient;
    const { explicitAuthFlows: planFlows, ...planRest } = plan.appClient;
    expect(stackRest).toEqual({ ...planRest, readAttributes: [...planRest.readAttributes].sort(), writeAttributes: [...planRest.writeAttributes].sort() });
    const extra = planFlows.filter((f) => !stackFlows.includes(f));
    const missing = stackFlows.filter((f: AuthFlow) => !planFlows.includes(f));
    expect(missing).toEqual([]);
    expect([...extra].sort()).toEqual([...emulatorDifferences.appClientExtraAuthFlows].sort());
  });

  it('identity pool: same name, unauthenticated flag and principal tags', () => {
    expect(stack.identityPool).toEqual(plan.identityPool);
  });

  it('roles: same names', () => {
    expect(stack.roles).toEqual(plan.roles);
  });

  it('the emulator-only differences are exactly those declared (bucket policy, trail, alarms, audit key are stack-only)', () => {
    expect(emulatorDifferences.auditKey).toBe(false);
    expect(ofType('AWS::KMS::Alias').map(([, a]) => a.Properties.AliasName)).toContain(voiceVaultConfig.keys.audit.alias);
    expect(plan.keys.map((k) => k.alias)).not.toContain(voiceVaultConfig.keys.audit.alias);
    expect(emulatorDifferences.bucketPolicy).toBe(false);
    expect(ofType('AWS::S3::BucketPolicy').some(([id]) => id.startsWith('DataBucketPolicy'))).toBe(true);
    expect(emulatorDifferences.auditTrail).toBe(false);
    expect(ofType('AWS::CloudTrail::Trail')).toHaveLength(1);
    expect(emulatorDifferences.alarms).toBe(false);
    expect(ofType('AWS::CloudWatch::Alarm').length).toBeGreaterThan(0);
  });
});
