// Pins every security property of the stack on the synthesized template (one synthesis).
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { voiceVaultConfig as c } from '../../shared/config';
import { filterPatterns } from './alarms';
import { KEY_ADMIN_ACTIONS } from './keys';
import { OUTPUTS } from './stack';
import { synthesize } from './synth';
import type { Json } from '../check/json';

let template: Template;
let json: Record<string, Json>;
const resources = (type: string): [string, Json][] => Object.entries<Json>(json.Resources).filter(([, r]) => r.Type === type);
const one = (type: string, idPrefix: string): Json => {
  const found = resources(type).filter(([id]) => id.startsWith(idPrefix));
  expect(found, `${type} ${idPrefix}`).toHaveLength(1);
  return found[0]![1];
};
const statements = (doc: Json): Json[] => [doc.Statement].flat();
const bySid = (doc: Json, sid: string): Json => {
  const s = statements(doc).find((x) => x.Sid === sid);
  expect(s, sid).toBeDefined();
  return s;
};
const joined = (v: Json): string => JSON.stringify(v);

beforeAll(() => {
  ({ template, json } = synthesize());
});

describe('synthesis', () => {
  it('is offline and self-contained: no bootstrap-version rule, no assets, no custom resources, no Lambda', () => {
    expect(json.Rules?.CheckBootstrapVersion).toBeUndefined();
    expect(json.Parameters?.BootstrapVersion).toBeUndefined();
    const types = new Set(Object.values<Json>(json.Resources).map((r) => r.Type));
    expect([...types].filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource' || t.startsWith('AWS::Lambda::'))).toEqual([]);
  });
});

describe('retained resources (disaster recovery)', () => {
  it('keeps exactly the keys, buckets, trail log group and user pool, under stable logical ids (infra/README.md maps them for cdk import)', () => {
    const retained = Object.entries<Json>(json.Resources)
      .filter(([, r]) => r.DeletionPolicy === 'Retain')
      .map(([id, r]) => `${id} ${r.Type}`)
      .sort();
    expect(retained).toEqual(
      [
        'KeysEnvelopeKeyD53F6CFB AWS::KMS::Key',
        'KeysStorageKeyF64F97A3 AWS::KMS::Key',
        'AuditAccessLogsBucketA80EF8DF AWS::S3::Bucket',
        'AuditTrailBucket1FC98696 AWS::S3::Bucket',
        'AuditTrailLogGroup6D314449 AWS::Logs::LogGroup',
        'DataBucketE6B0FAA8 AWS::S3::Bucket',
        'IdentityUserPool96FE3B9B AWS::Cognito::UserPool',
      ].sort(),
    );
    for (const [, r] of Object.entries<Json>(json.Resources).filter(([, r]) => r.DeletionPolicy === 'Retain')) expect(r.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('keys', () => {
  it('creates exactly the envelope and storage keys, rotated, retained, with the configured aliases', () => {
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ Description: c.keys.envelope.description, EnableKeyRotation: true, PendingWindowInDays: 30 }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ Description: c.keys.storage.description, EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
    const aliases = resources('AWS::KMS::Alias').map(([, r]) => r.Properties.AliasName).sort();
    expect(aliases).toEqual([c.keys.envelope.alias, c.keys.storage.alias].sort());
  });

  it('separates key administration (no crypto) from key use in both key policies', () => {
    for (const prefix of ['KeysEnvelopeKey', 'KeysStorageKey']) {
      const policy = one('AWS::KMS::Key', prefix).Properties.KeyPolicy;
      const admin = bySid(policy, 'KeyAdministrationByAccountAdmins');
      expect(admin.Action).toEqual(KEY_ADMIN_ACTIONS);
      for (const a of admin.Action as string[]) expect(a).not.toMatch(/Decrypt|Encrypt|GenerateDataKey|CreateGrant|\*/);
      expect(bySid(policy, 'DenyKeyAdministrationToAppRoles').Effect).toBe('Deny');
      // No statement grants kms:* to anyone.
      expect(joined(policy)).not.toContain('"kms:*"');
    }
  });

  it('envelope key: contractors GenerateDataKey only with their own tagged context; pipeline decrypts only features/manifest', () => {
    const policy = one('AWS::KMS::Key', 'KeysEnvelopeKey').Properties.KeyPolicy;
    const gen = bySid(policy, 'ContractorsGenerateDataKeyForOwnContextOnly');
    expect(gen.Action).toBe('kms:GenerateDataKey');
    expect(gen.Condition.StringEquals).toEqual({
      'kms:EncryptionContext:app': 'voicevault',
      'kms:EncryptionContext:contractor': '${aws:PrincipalTag/contractor}',
      'kms:EncryptionContext:partition': '${aws:PrincipalTag/partition}',
      'kms:EncryptionContext:kind': ['raw', 'features', 'manifest'],
    });
    expect(joined(gen.Condition.ArnEquals)).toContain(`:role/${c.roles.contractor}`);
    const dec = bySid(policy, 'PipelineReaderDecryptFeaturesAndManifestsOnly');
    expect(dec.Action).toBe('kms:Decrypt');
    expect(dec.Condition.StringEquals['kms:EncryptionContext:kind']).toEqual(['features', 'manifest']);
    expect(joined(dec.Condition.ArnEquals)).toContain(`:role/${c.roles.pipelineReader}`);
    const deny = bySid(policy, 'DenyEnvelopeDecryptToContractorsAndAdmins');
    expect(deny.Effect).toBe('Deny');
    expect(joined(deny.Condition)).toContain(`:role/${c.roles.contractor}`);
    expect(joined(deny.Condition)).toContain(`:role/${c.roles.admin}`);
    // Nobody but the pipeline reader is allowed Decrypt.
    const decryptAllows = statements(policy).filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.includes('Decrypt')));
    expect(decryptAllows.map((s) => s.Sid)).toEqual(['PipelineReaderDecryptFeaturesAndManifestsOnly']);
  });

  it('storage key: principals only via S3 for the data bucket; CloudTrail, Logs and CloudWatch with source conditions', () => {
    const policy = one('AWS::KMS::Key', 'KeysStorageKey').Properties.KeyPolicy;
    const s3 = bySid(policy, 'PrincipalsUseOnlyThroughS3ForTheDataBucket');
    expect(joined(s3.Condition.StringEquals['kms:ViaService'])).toContain('"s3."');
    expect(joined(s3.Condition.StringEquals['kms:EncryptionContext:aws:s3:arn'])).toContain(`:s3:::${c.bucket.namePrefix}-`);
    const trail = bySid(policy, 'CloudTrailEncryptLogs');
    expect(trail.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(joined(trail.Condition.StringEquals['aws:SourceArn'])).toContain(`:trail/${c.audit.trailName}`);
    expect(trail.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn']).toBeDefined();
    const logs = bySid(policy, 'CloudWatchLogsEncryptTheTrailLogGroup');
    expect(joined(logs.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'])).toContain(`:log-group:${c.audit.logGroupName}`);
    expect(bySid(policy, 'CloudWatchAlarmsPublishToEncryptedTopic').Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    for (const s of statements(policy).filter((x) => x.Effect === 'Allow' && x.Principal?.AWS && x.Sid !== 'KeyAdministrationByAccountAdmins')) {
      expect(s.Condition.StringEquals['kms:ViaService'], s.Sid).toBeDefined();
    }
  });
});

describe('data bucket', () => {
  let bucket: Json;
  let policy: Json;
  beforeAll(() => {
    bucket = one('AWS::S3::Bucket', 'DataBucket');
    policy = one('AWS::S3::BucketPolicy', 'DataBucketPolicy').Properties.PolicyDocument;
  });

  it('is named from the config, SSE-KMS with the storage key and bucket key, versioned, retained', () => {
    expect(joined(bucket.Properties.BucketName)).toContain(`${c.bucket.namePrefix}-`);
    const rule = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(rule.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0]).toMatch(/^KeysStorageKey/);
    expect(rule.BucketKeyEnabled).toBe(true);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('blocks all public access, enforces object ownership, logs to the access-log bucket, has no lifecycle rules', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref).toMatch(/^AuditAccessLogsBucket/);
    expect(bucket.Properties.LifecycleConfiguration).toBeUndefined();
  });

  it('denies non-TLS requests', () => {
    const tls = statements(policy).find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    expect(tls?.Action).toBe('s3:*');
  });

  it('denies PutObject that names non-KMS encryption, another key, or aws:kms without a key id', () => {
    const nonKms = bySid(policy, 'DenyUploadsNamingNonKmsEncryption');
    expect(nonKms.Condition).toEqual({
      Null: { 's3:x-amz-server-side-encryption': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
    const other = bySid(policy, 'DenyUploadsNamingAnotherKey');
    expect(other.Condition.Null).toEqual({ 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' });
    expect(other.Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id']['Fn::GetAtt'][0]).toMatch(/^KeysStorageKey/);
    const noId = bySid(policy, 'DenyUploadsWithSseKmsButNoKeyId');
    expect(noId.Condition).toEqual({
      StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' },
    });
    // IfExists forms would deny every UploadPart (no headers): none may appear.
    expect(joined(policy)).not.toContain('IfExists');
  });
});

describe('audit', () => {
  it('trail: multi-region, global events, log file validation, KMS (storage key), management + S3 data events for the bucket', () => {
    const trail = one('AWS::CloudTrail::Trail', 'AuditTrail').Properties;
    expect(trail.TrailName).toBe(c.audit.trailName);
    expect(trail.IsMultiRegionTrail).toBe(true);
    expect(trail.IncludeGlobalServiceEvents).toBe(true);
    expect(trail.EnableLogFileValidation).toBe(true);
    expect(trail.IsLogging).toBe(true);
    expect(trail.KMSKeyId['Fn::GetAtt'][0]).toMatch(/^KeysStorageKey/);
    expect(trail.S3BucketName.Ref).toMatch(/^AuditTrailBucket/);
    expect(trail.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0]).toMatch(/^AuditTrailLogGroup/);
    expect(trail.EventSelectors).toHaveLength(1);
    const sel = trail.EventSelectors[0];
    expect(sel.IncludeManagementEvents).toBe(true);
    expect(sel.ReadWriteType).toBe('All');
    expect(sel.DataResources[0].Type).toBe('AWS::S3::Object');
    expect(joined(sel.DataResources[0].Values)).toContain(`:s3:::${c.bucket.namePrefix}-`);
  });

  it('trail bucket is isolated: object lock (governance, retention from config), versioned, private, TLS only, retained', () => {
    const b = one('AWS::S3::Bucket', 'AuditTrailBucket');
    expect(b.Properties.ObjectLockEnabled).toBe(true);
    expect(b.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: c.audit.logRetentionDays } },
    });
    expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(b.DeletionPolicy).toBe('Retain');
    const policy = one('AWS::S3::BucketPolicy', 'AuditTrailBucketPolicy').Properties.PolicyDocument;
    expect(joined(bySid(policy, 'CloudTrailWrite').Condition.StringEquals['aws:SourceArn'])).toContain(`:trail/${c.audit.trailName}`);
    expect(statements(policy).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    // Nobody but CloudTrail is granted anything on it.
    for (const s of statements(policy).filter((x) => x.Effect === 'Allow')) expect(s.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
  });

  it('log group: KMS-encrypted with the storage key, 365-day retention, retained', () => {
    const lg = one('AWS::Logs::LogGroup', 'AuditTrailLogGroup');
    expect(lg.Properties.LogGroupName).toBe(c.audit.logGroupName);
    expect(lg.Properties.RetentionInDays).toBe(365);
    expect(lg.Properties.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^KeysStorageKey/);
    expect(lg.DeletionPolicy).toBe('Retain');
  });
});

describe('alarms', () => {
  it('publish to a KMS-encrypted, TLS-only topic with an optional e-mail subscription', () => {
    const topic = one('AWS::SNS::Topic', 'AlarmsTopic');
    expect(topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0]).toMatch(/^KeysStorageKey/);
    const tp = one('AWS::SNS::TopicPolicy', 'AlarmsTopic').Properties.PolicyDocument;
    expect(statements(tp).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    const [[, sub]] = resources('AWS::SNS::Subscription') as [[string, Json]];
    expect(sub.Condition).toBeDefined();
    expect(sub.Properties.Endpoint).toEqual({ Ref: 'AlarmEmail' });
    expect(json.Parameters.AlarmEmail.Default).toBe('');
  });

  it('bulk GetObject: metric filter on the trail, threshold parameter (default from config) per 5 minutes', () => {
    expect(json.Parameters.BulkGetObjectThreshold.Default).toBe(c.alarms.bulkGetObjectThreshold);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: filterPatterns.bulkGetObject, LogGroupName: { Ref: Match.stringLikeRegexp('^AuditTrailLogGroup') } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${c.alarms.alarmNamePrefix}bulk-getobject`,
      Threshold: { Ref: 'BulkGetObjectThreshold' },
      Period: c.alarms.bulkGetObjectPeriodMinutes * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('per-principal bulk reads: a Contributor Insights rule on the trail log group and an alarm on its top contributor', () => {
    const rule = one('AWS::CloudWatch::InsightRule', 'AlarmsGetObjectPerPrincipalRule').Properties;
    expect(rule.RuleState).toBe('ENABLED');
    const body = JSON.parse(rule.RuleBody);
    expect(body.LogGroupNames).toEqual([c.audit.logGroupName]);
    expect(body.Contribution.Keys).toContain('$.userIdentity.arn');
    expect(joined(body.Contribution.Filters)).toContain('GetObject');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: { Ref: 'PerPrincipalGetObjectThreshold' },
      Metrics: Match.arrayWith([Match.objectLike({ Expression: `INSIGHT_RULE_METRIC('${c.alarms.perPrincipalInsightRuleName}', 'MaxContributorValue')` })]),
    });
  });

  it('key disable/deletion, bucket policy changes, trail changes and unauthorized calls each alarm to the topic', () => {
    for (const [name, pattern] of [
      ['kms-key-disable-or-deletion', filterPatterns.keyDisableOrDeletion],
      ['bucket-policy-changes', filterPatterns.bucketPolicyChanges],
      ['cloudtrail-changes', filterPatterns.trailChanges],
      ['unauthorized-api-calls', filterPatterns.unauthorizedApiCalls],
    ] as const) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: pattern });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${c.alarms.alarmNamePrefix}${name}`,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      });
    }
    expect(filterPatterns.keyDisableOrDeletion).toMatch(/DisableKey.*ScheduleKeyDeletion/);
    expect(filterPatterns.bucketPolicyChanges).toMatch(/PutBucketPolicy.*DeleteBucketPolicy/);
    expect(filterPatterns.trailChanges).toMatch(/StopLogging/);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });
});

describe('cognito', () => {
  it('user pool: config password policy, admin-created users only, MFA parameter (default ON, TOTP), partition attribute, retained', () => {
    const pool = one('AWS::Cognito::UserPool', 'IdentityUserPool');
    const p = c.userPool.passwordPolicy;
    expect(pool.Properties.UserPoolName).toBe(c.userPool.name);
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: p.minimumLength,
      RequireLowercase: p.requireLowercase,
      RequireUppercase: p.requireUppercase,
      RequireNumbers: p.requireDigits,
      RequireSymbols: p.requireSymbols,
    });
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.MfaConfiguration).toEqual({ Ref: 'MfaConfiguration' });
    expect(json.Parameters.MfaConfiguration.Default).toBe('ON');
    expect(joined(pool.Properties.EnabledMfas)).toContain('SOFTWARE_TOKEN_MFA');
    expect(pool.Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    expect(pool.Properties.Schema).toContainEqual(expect.objectContaining({ Name: c.userPool.partitionAttribute, Mutable: true, AttributeDataType: 'String' }));
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
  });

  it('app client: public (no secret), SRP + refresh only, no OAuth, cannot write custom:partition', () => {
    const client = one('AWS::Cognito::UserPoolClient', 'IdentityUserPoolDesktopClient').Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.AllowedOAuthFlows).toBeUndefined();
    expect(client.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    expect(client.WriteAttributes).toEqual(['email']);
    expect(client.WriteAttributes).not.toContain('custom:partition');
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('identity pool: no unauthenticated identities, principal tags, token role mapping, admins group → admin role', () => {
    const pool = one('AWS::Cognito::IdentityPool', 'IdentityIdentityPool').Properties;
    expect(pool.AllowUnauthenticatedIdentities).toBe(false);
    expect(pool.AllowClassicFlow).toBe(false);
    expect(pool.CognitoIdentityProviders[0].ServerSideTokenCheck).toBe(true);
    const tags = one('AWS::Cognito::IdentityPoolPrincipalTag', 'IdentityPrincipalTags').Properties;
    expect(tags.PrincipalTags).toEqual({ contractor: 'sub', partition: 'custom:partition' });
    expect(tags.UseDefaults).toBe(false);
    const attach = one('AWS::Cognito::IdentityPoolRoleAttachment', 'IdentityRoleAttachment').Properties;
    expect(attach.Roles.unauthenticated).toBeUndefined();
    expect(attach.Roles.authenticated['Fn::GetAtt'][0]).toMatch(/^RolesContractorRole/);
    expect(attach.RoleMappings.userPool).toMatchObject({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
    const group = one('AWS::Cognito::UserPoolGroup', 'IdentityAdminsGroup').Properties;
    expect(group.GroupName).toBe(c.userPool.groups.admins);
    expect(group.RoleArn['Fn::GetAtt'][0]).toMatch(/^RolesAdminRole/);
  });
});

describe('roles', () => {
  const managed = (prefix: string): Json => one('AWS::IAM::ManagedPolicy', prefix).Properties.PolicyDocument;
  const role = (name: string): Json => resources('AWS::IAM::Role').map(([, r]) => r).find((r) => r.Properties.RoleName === name);

  it('are named from the config; contractor and admin trust this identity pool, authenticated, with TagSession', () => {
    for (const name of Object.values(c.roles)) expect(role(name), name).toBeDefined();
    for (const name of [c.roles.contractor, c.roles.admin]) {
      const [s] = statements(role(name).Properties.AssumeRolePolicyDocument);
      expect(s.Action).toEqual(['sts:AssumeRoleWithWebIdentity', 'sts:TagSession']);
      expect(s.Condition.StringEquals['cognito-identity.amazonaws.com:aud'].Ref).toMatch(/^IdentityIdentityPool/);
      expect(s.Condition['ForAnyValue:StringLike']['cognito-identity.amazonaws.com:amr']).toBe('authenticated');
    }
    // No break-glass raw reader exists in the stack (documented in infra/README.md instead).
    expect(resources('AWS::IAM::Role')).toHaveLength(4); // 3 app roles + CloudTrail→Logs delivery
  });

  it('contractor: write + multipart on own tagged prefixes, own partition config, GenerateDataKey only; no List, no reads of samples', () => {
    const doc = managed('RolesContractorPolicy');
    const write = bySid(doc, 'WriteOwnSamplePrefixes');
    expect(write.Action).toEqual(['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);
    const resourcesText = joined(write.Resource);
    for (const top of ['raw', 'features', 'manifests']) expect(resourcesText).toContain(`/${top}/\${aws:PrincipalTag/partition}/\${aws:PrincipalTag/contractor}/*`);
    expect(joined(bySid(doc, 'ReadOwnPartitionConfig').Resource)).toContain('/config/partitions/${aws:PrincipalTag/partition}.json');
    const actions = statements(doc).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => /^s3:List(Bucket|AllMyBuckets)/.test(a))).toEqual([]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('s3:DeleteObject');
  });

  it('admin: configs, list, lifecycle, user-pool admin, alarms, erasure; no envelope decrypt', () => {
    const doc = managed('RolesAdminPolicy');
    expect(bySid(doc, 'PartitionConfigReadWrite').Action).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(bySid(doc, 'ListForStatusAndErasure').Action).toEqual(['s3:ListBucket', 's3:ListBucketVersions']);
    expect(bySid(doc, 'BucketLifecycle').Action).toEqual(['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration']);
    expect(bySid(doc, 'EraseObjectsAllVersions').Action).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
    const users = bySid(doc, 'ManageContractors');
    for (const a of ['AdminCreateUser', 'AdminDisableUser', 'AdminEnableUser', 'AdminUpdateUserAttributes', 'AdminUserGlobalSignOut', 'AdminAddUserToGroup', 'ListUsers', 'AdminGetUser']) {
      expect(users.Action).toContain(`cognito-idp:${a}`);
    }
    expect(users.Resource['Fn::GetAtt'][0]).toMatch(/^IdentityUserPool/);
    expect(bySid(doc, 'AlarmState').Action).toBe('cloudwatch:DescribeAlarms');
    const kmsStatements = statements(doc).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements.map((s) => s.Sid)).toEqual(['StorageKeyThroughS3Only']);
  });

  it('pipeline reader: GetObject on features/* and manifests/*, envelope Decrypt for features/manifest only', () => {
    const doc = managed('RolesPipelineReaderPolicy');
    const read = bySid(doc, 'ReadFeaturesAndManifests');
    expect(read.Action).toBe('s3:GetObject');
    expect(joined(read.Resource)).toMatch(/\/features\/\*.*\/manifests\/\*/);
    expect(joined(read.Resource)).not.toContain('/raw/');
    expect(bySid(doc, 'EnvelopeDecryptFeaturesAndManifests').Condition.StringEquals['kms:EncryptionContext:kind']).toEqual(['features', 'manifest']);
  });
});

describe('optional GuardDuty and outputs', () => {
  it('GuardDuty with S3 protection only when the parameter says so (default off)', () => {
    const det = one('AWS::GuardDuty::Detector', 'GuardDuty');
    expect(det.Condition).toBe('GuardDutyOn');
    expect(det.Properties.Features).toEqual([{ Name: 'S3_DATA_EVENTS', Status: 'ENABLED' }]);
    expect(json.Parameters.EnableGuardDuty.Default).toBe('false');
  });

  it('outputs every field the app state file needs', () => {
    for (const key of Object.values(OUTPUTS)) expect(json.Outputs[key], key).toBeDefined();
    expect(json.Outputs[OUTPUTS.bucket].Value.Ref).toMatch(/^DataBucket/);
    expect(json.Outputs[OUTPUTS.envelopeKeyArn].Value['Fn::GetAtt'][0]).toMatch(/^KeysEnvelopeKey/);
  });
});
