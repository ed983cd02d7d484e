// Pins every security property of the stack on the synthesized template (one synthesis).
// Expected values are written out here, not imported from the modules under test.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { voiceVaultConfig as c } from '../../shared/config';
import { synthesizedTemplate } from './template-cache';
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

// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  json = await synthesizedTemplate();
  template = Template.fromJSON(json);
}, 240_000);

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
        'KeysAuditKey155B718A AWS::KMS::Key',
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
  const KEY_ADMIN_ACTIONS = [
    'kms:CreateAlias',
    'kms:DeleteAlias',
    'kms:UpdateAlias',
    'kms:DescribeKey',
    'kms:EnableKey',
    'kms:DisableKey',
    'kms:EnableKeyRotation',
    'kms:DisableKeyRotation',
    'kms:RotateKeyOnDemand',
    'kms:GetKeyPolicy',
    'kms:GetKeyRotationStatus',
    'kms:ListAliases',
    'kms:ListGrants',
    'kms:ListKeyPolicies',
    'kms:ListKeyRotations',
    'kms:ListResourceTags',
    'kms:PutKeyPolicy',
    'kms:RevokeGrant',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:UpdateKeyDescription',
    'kms:ScheduleKeyDeletion',
    'kms:CancelKeyDeletion',
  ];
  const sids = (prefix: string): string[] => statements(one('AWS::KMS::Key', prefix).Properties.KeyPolicy).map((s) => s.Sid);

  it('creates exactly the envelope, storage and audit keys, rotated, retained, with the configured aliases', () => {
    template.resourceCountIs('AWS::KMS::Key', 3);
    for (const key of [c.keys.envelope, c.keys.storage, c.keys.audit]) {
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ Description: key.description, EnableKeyRotation: true, PendingWindowInDays: 30 }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    const aliases = resources('AWS::KMS::Alias').map(([, r]) => r.Properties.AliasName).sort();
    expect(aliases).toEqual(['alias/voicevault-audit', 'alias/voicevault-envelope', 'alias/voicevault-storage']);
  });

  it('separates key administration (no crypto) from key use in all three key policies', () => {
    for (const prefix of ['KeysEnvelopeKey', 'KeysStorageKey', 'KeysAuditKey']) {
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
      'kms:EncryptionContext:kind': ['raw', 'features', 'manifest', 'request'],
    });
    expect(joined(gen.Condition.ArnEquals)).toContain(':role/voicevault-contractor');
    const dec = bySid(policy, 'PipelineReaderDecryptFeaturesAndManifestsOnly');
    expect(dec.Action).toBe('kms:Decrypt');
    expect(dec.Condition.StringEquals['kms:EncryptionContext:kind']).toEqual(['features', 'manifest']);
    expect(joined(dec.Condition.ArnEquals)).toContain(':role/voicevault-pipeline-reader');
    const deny = bySid(policy, 'DenyEnvelopeDecryptToContractorsAndAdmins');
    expect(deny.Effect).toBe('Deny');
    expect(joined(deny.Condition)).toContain(':role/voicevault-contractor');
    expect(joined(deny.Condition)).toContain(':role/voicevault-admin');
    // Nobody but the pipeline reader is allowed Decrypt.
    const decryptAllows = statements(policy).filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a.includes('Decrypt')));
    expect(decryptAllows.map((s) => s.Sid)).toEqual(['PipelineReaderDecryptFeaturesAndManifestsOnly']);
  });

  it('storage key: used by principals only via S3 for the data bucket, and by no service (the audit side has its own key)', () => {
    expect(sids('KeysStorageKey')).toEqual(['KeyAdministrationByAccountAdmins', 'DenyKeyAdministrationToAppRoles', 'PrincipalsUseOnlyThroughS3ForTheDataBucket']);
    const s3 = bySid(one('AWS::KMS::Key', 'KeysStorageKey').Properties.KeyPolicy, 'PrincipalsUseOnlyThroughS3ForTheDataBucket');
    expect(s3.Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] });
    expect(joined(s3.Condition.StringEquals['kms:EncryptionContext:aws:s3:arn'])).toContain(':s3:::voicevault-data-');
  });

  it('audit key: CloudTrail for this trail, Logs for the trail log group, CloudWatch for the alarm topic only', () => {
    expect(sids('KeysAuditKey')).toEqual([
      'KeyAdministrationByAccountAdmins',
      'DenyKeyAdministrationToAppRoles',
      'CloudTrailEncryptLogs',
      'CloudTrailDescribeKey',
      'AuditorsReadTrailLogsThroughS3',
      'CloudWatchLogsEncryptTheTrailLogGroup',
      'CloudWatchAlarmsUseItForTheAlarmTopicOnly',
    ]);
    const policy = one('AWS::KMS::Key', 'KeysAuditKey').Properties.KeyPolicy;
    const trail = bySid(policy, 'CloudTrailEncryptLogs');
    expect(trail.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(joined(trail.Condition.StringEquals['aws:SourceArn'])).toContain(':trail/voicevault-trail');
    const logs = bySid(policy, 'CloudWatchLogsEncryptTheTrailLogGroup');
    expect(joined(logs.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'])).toContain(':log-group:/voicevault/cloudtrail');
    const cw = bySid(policy, 'CloudWatchAlarmsUseItForTheAlarmTopicOnly');
    expect(cw.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(cw.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(cw.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(joined(cw.Condition.StringEquals['kms:EncryptionContext:aws:sns:topicArn'])).toMatch(/:sns:.*:voicevault-security-alarms"/);
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
    expect(rule.BlockedEncryptionTypes).toEqual({ EncryptionType: ['SSE-C'] });
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
    expect(bySid(policy, 'DenyUploadsWithCustomerProvidedKeys').Condition).toEqual({
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
    });
    // IfExists forms would deny every UploadPart (no headers): none may appear.
    expect(joined(policy)).not.toContain('IfExists');
  });

  it('is write-once for contractors: PutObject/CompleteMultipartUpload without If-None-Match is denied, the other multipart calls are exempt', () => {
    const s = bySid(policy, 'DenyContractorOverwrites');
    expect(s.Effect).toBe('Deny');
    expect(s.Action).toBe('s3:PutObject');
    expect(s.Condition.Null).toEqual({ 's3:if-none-match': 'true' });
    expect(s.Condition.Bool).toEqual({ 's3:ObjectCreationOperation': 'true' });
    expect(joined(s.Condition.ArnEquals['aws:PrincipalArn'])).toContain(':role/voicevault-contractor"');
  });

  it('keeps the deletion feed append-only: puts need If-None-Match, nobody deletes', () => {
    const put = bySid(policy, 'DenyDeletionFeedOverwrites');
    expect(put.Condition).toEqual({ Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } });
    expect(joined(put.Resource)).toMatch(/\/deletions\/\*"/);
    const del = bySid(policy, 'DenyDeletionFeedDeletes');
    expect(del.Principal).toEqual({ AWS: '*' });
    expect(del.Action).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
    expect(del.Condition).toBeUndefined();
    expect(joined(del.Resource)).toMatch(/\/deletions\/\*"/);
  });
});

describe('audit', () => {
  it('trail: multi-region, global events, log file validation, KMS (audit key), management + S3 data events for the bucket', () => {
    const trail = one('AWS::CloudTrail::Trail', 'AuditTrail').Properties;
    expect(trail.TrailName).toBe(c.audit.trailName);
    expect(trail.IsMultiRegionTrail).toBe(true);
    expect(trail.IncludeGlobalServiceEvents).toBe(true);
    expect(trail.EnableLogFileValidation).toBe(true);
    expect(trail.IsLogging).toBe(true);
    expect(trail.KMSKeyId['Fn::GetAtt'][0]).toMatch(/^KeysAuditKey/);
    expect(trail.S3BucketName.Ref).toMatch(/^AuditTrailBucket/);
    expect(trail.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0]).toMatch(/^AuditTrailLogGroup/);
    expect(trail.EventSelectors).toHaveLength(1);
    const sel = trail.EventSelectors[0];
    expect(sel.IncludeManagementEvents).toBe(true);
    expect(sel.ReadWriteType).toBe('All');
    expect(sel.DataResources[0].Type).toBe('AWS::S3::Object');
    expect(joined(sel.DataResources[0].Values)).toContain(`:s3:::${c.bucket.namePrefix}-`);
  });

  it('trail bucket is isolated: object lock (mode parameter, default COMPLIANCE, 365 days), versioned, private, TLS only, retained', () => {
    const b = one('AWS::S3::Bucket', 'AuditTrailBucket');
    expect(b.Properties.ObjectLockEnabled).toBe(true);
    expect(b.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: { Ref: 'TrailObjectLockMode' }, Days: 365 } },
    });
    expect(json.Parameters.TrailObjectLockMode).toMatchObject({ Default: 'COMPLIANCE', AllowedValues: ['COMPLIANCE', 'GOVERNANCE'] });
    expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(b.DeletionPolicy).toBe('Retain');
    const policy = one('AWS::S3::BucketPolicy', 'AuditTrailBucketPolicy').Properties.PolicyDocument;
    expect(joined(bySid(policy, 'CloudTrailWrite').Condition.StringEquals['aws:SourceArn'])).toContain(`:trail/${c.audit.trailName}`);
    expect(statements(policy).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    // Nobody but CloudTrail is granted anything on it.
    for (const s of statements(policy).filter((x) => x.Effect === 'Allow')) expect(s.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
  });

  it('log group: KMS-encrypted with the audit key, 365-day retention, retained', () => {
    const lg = one('AWS::Logs::LogGroup', 'AuditTrailLogGroup');
    expect(lg.Properties.LogGroupName).toBe('/voicevault/cloudtrail');
    expect(lg.Properties.RetentionInDays).toBe(365);
    expect(lg.Properties.KmsKeyId['Fn::GetAtt'][0]).toMatch(/^KeysAuditKey/);
    expect(lg.DeletionPolicy).toBe('Retain');
  });
});

describe('alarms', () => {
  // The CloudTrail metric-filter patterns, written out (check/filter-pattern.test.ts runs them on events).
  const PATTERNS = {
    'bulk-getobject': '{ ($.eventSource = "s3.amazonaws.com") && ($.eventName = "GetObject") }',
    'kms-key-disable-or-deletion':
      '{ ($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion") || ($.eventName = "PutKeyPolicy")) }',
    'bucket-policy-changes':
      '{ ($.eventSource = "s3.amazonaws.com") && (($.eventName = "PutBucketPolicy") || ($.eventName = "DeleteBucketPolicy") || ($.eventName = "PutBucketAcl") || ($.eventName = "PutBucketPublicAccessBlock") || ($.eventName = "DeleteBucketPublicAccessBlock") || ($.eventName = "PutBucketEncryption") || ($.eventName = "DeleteBucketEncryption") || ($.eventName = "PutBucketOwnershipControls") || ($.eventName = "PutBucketVersioning")) }',
    'cloudtrail-changes':
      '{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "CreateTrail") || ($.eventName = "UpdateTrail") || ($.eventName = "DeleteTrail") || ($.eventName = "StartLogging") || ($.eventName = "StopLogging") || ($.eventName = "PutEventSelectors")) }',
    'unauthorized-api-calls': '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  } as const;
  const alarmByName = (name: string): Json => resources('AWS::CloudWatch::Alarm').map(([, r]) => r).find((r) => r.Properties.AlarmName === `voicevault-${name}`);

  it('publish to a TLS-only topic under the audit key, with an optional e-mail subscription', () => {
    const topic = one('AWS::SNS::Topic', 'AlarmsTopic');
    expect(topic.Properties.TopicName).toBe('voicevault-security-alarms');
    expect(topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0]).toMatch(/^KeysAuditKey/);
    const tp = one('AWS::SNS::TopicPolicy', 'AlarmsTopicPolicy').Properties.PolicyDocument;
    expect(statements(tp).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    const subs = resources('AWS::SNS::Subscription').map(([, r]) => r);
    expect(subs).toHaveLength(2); // alarm topic and key-events topic
    for (const sub of subs) {
      expect(sub.Condition).toMatch(/^AlarmsHasAlarmEmail/);
      expect(sub.Properties.Endpoint).toEqual({ Ref: 'AlarmEmail' });
    }
    expect(json.Parameters.AlarmEmail.Default).toBe('');
  });

  it('topic policy: CloudWatch may publish, from this account, for exactly the stack\'s seven alarms', () => {
    const tp = one('AWS::SNS::TopicPolicy', 'AlarmsTopicPolicy').Properties.PolicyDocument;
    const cw = bySid(tp, 'CloudWatchAlarmsPublish');
    expect(cw.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(cw.Action).toBe('sns:Publish');
    expect(cw.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    const alarmIds = resources('AWS::CloudWatch::Alarm').map(([id]) => id).sort();
    expect(cw.Condition.ArnEquals['aws:SourceArn'].map((a: Json) => a['Fn::GetAtt'][0]).sort()).toEqual(alarmIds);
  });

  it('metric filters on the trail log group carry exactly the written-out patterns', () => {
    const topicId = resources('AWS::SNS::Topic').find(([id]) => id.startsWith('AlarmsTopic'))![0];
    for (const [name, pattern] of Object.entries(PATTERNS)) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: pattern, LogGroupName: { Ref: Match.stringLikeRegexp('^AuditTrailLogGroup') } });
      expect(alarmByName(name)?.Properties.AlarmActions, name).toEqual([{ Ref: topicId }]);
    }
    template.resourceCountIs('AWS::Logs::MetricFilter', 6);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('bulk GetObject: threshold parameter (default 10 000) per 5 minutes, strictly above', () => {
    expect(json.Parameters.BulkGetObjectThreshold.Default).toBe(10000);
    expect(alarmByName('bulk-getobject').Properties).toMatchObject({ Threshold: { Ref: 'BulkGetObjectThreshold' }, Period: 300, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('envelope-key Decrypt volume: a metric filter on Decrypt of the envelope key and an alarm (parameter, default 20 000 per 5 minutes)', () => {
    const filter = resources('AWS::Logs::MetricFilter').map(([, r]) => r).find((r) => r.Properties.MetricTransformations[0].MetricName === 'EnvelopeDecryptVolume');
    expect(filter.Properties.FilterPattern).toEqual({
      'Fn::Join': ['', ['{ ($.eventSource = "kms.amazonaws.com") && ($.eventName = "Decrypt") && ($.resources[0].ARN = "', { 'Fn::GetAtt': [resources('AWS::KMS::Key').find(([id]) => id.startsWith('KeysEnvelopeKey'))![0], 'Arn'] }, '") }']],
    });
    expect(json.Parameters.EnvelopeDecryptThreshold.Default).toBe(20000);
    expect(alarmByName('envelope-decrypt-volume').Properties).toMatchObject({ Threshold: { Ref: 'EnvelopeDecryptThreshold' }, Period: 300, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('per-principal bulk reads: Contributor Insights keyed on the session issuer (role) ARN, and an alarm on its top contributor', () => {
    const rule = one('AWS::CloudWatch::InsightRule', 'AlarmsGetObjectPerPrincipalRule').Properties;
    expect(rule.RuleState).toBe('ENABLED');
    const body = JSON.parse(rule.RuleBody);
    expect(body.LogGroupNames).toEqual(['/voicevault/cloudtrail']);
    expect(body.Contribution.Keys).toEqual(['$.userIdentity.sessionContext.sessionIssuer.arn']);
    expect(body.Contribution.Filters).toEqual([
      { Match: '$.eventSource', In: ['s3.amazonaws.com'] },
      { Match: '$.eventName', In: ['GetObject'] },
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: { Ref: 'PerPrincipalGetObjectThreshold' },
      Metrics: Match.arrayWith([Match.objectLike({ Expression: "INSIGHT_RULE_METRIC('voicevault-getobject-per-principal', 'MaxContributorValue')" })]),
    });
  });

  it('KMS DisableKey / ScheduleKeyDeletion / PutKeyPolicy on any of the three keys go to an EventBridge rule whose topic has no KMS key', () => {
    const rule = one('AWS::Events::Rule', 'AlarmsKeyEventsRule').Properties;
    const keyIds = resources('AWS::KMS::Key').map(([id]) => id);
    expect(keyIds).toHaveLength(3);
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern).toEqual({
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'],
        $or: [
          { resources: { ARN: keyIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
          { requestParameters: { keyId: keyIds.flatMap((id) => [{ 'Fn::GetAtt': [id, 'Arn'] }, { Ref: id }]) } },
        ],
      },
    });
    const [target, ...more] = rule.Targets;
    expect(more).toEqual([]);
    const topicId = target.Arn.Ref;
    expect(topicId).toMatch(/^AlarmsKeyEventsTopic/);
    expect(json.Resources[topicId].Properties.KmsMasterKeyId).toBeUndefined();
    const tp = one('AWS::SNS::TopicPolicy', 'AlarmsKeyEventsTopicPolicy').Properties.PolicyDocument;
    const pub = bySid(tp, 'EventBridgePublishesKeyEvents');
    expect(pub.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(pub.Condition.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0]).toMatch(/^AlarmsKeyEventsRule/);
    expect(statements(tp).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });
});

describe('cognito', () => {
  it('user pool: config password policy, admin-created users only, MFA parameter (default ON, TOTP), partition attribute, retained', () => {
    const pool = one('AWS::Cognito::UserPool', 'IdentityUserPool');
    expect(pool.Properties.UserPoolName).toBe('voicevault-users');
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 14,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
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

  it('app client: public (no secret), SRP + refresh only, no OAuth, writes no attribute that means anything', () => {
    const client = one('AWS::Cognito::UserPoolClient', 'IdentityUserPoolDesktopClient').Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.AllowedOAuthFlows).toBeUndefined();
    expect(client.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    // Not [] (Cognito reads that as "every standard attribute"): one attribute nothing reads.
    expect(client.WriteAttributes).toEqual(['zoneinfo']);
    expect(client.ReadAttributes).not.toContain('zoneinfo');
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

  it('pipeline reader trusts the principals named in a parameter (no default, never the account root)', () => {
    expect(role('voicevault-pipeline-reader').Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'NamedPipelinePrincipalsOnly', Effect: 'Allow', Principal: { AWS: { Ref: 'PipelineReaderPrincipals' } }, Action: 'sts:AssumeRole' }],
    });
    const param = json.Parameters.PipelineReaderPrincipals;
    expect(param.Type).toBe('CommaDelimitedList');
    expect(param.Default).toBeUndefined();
    const pattern = new RegExp(param.AllowedPattern);
    expect(pattern.test('arn:aws:iam::111122223333:role/training-batch')).toBe(true);
    expect(pattern.test('arn:aws:iam::111122223333:user/ci')).toBe(true);
    expect(pattern.test('arn:aws:iam::111122223333:root')).toBe(false);
    expect(pattern.test('111122223333')).toBe(false);
    expect(pattern.test('*')).toBe(false);
  });

  it('contractor: write + multipart on own tagged prefixes, own partition config, GenerateDataKey only; no List, no reads of samples', () => {
    const doc = managed('RolesContractorPolicy');
    const write = bySid(doc, 'WriteOwnSamplePrefixes');
    expect(write.Action).toEqual(['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);
    const resourcesText = joined(write.Resource);
    for (const top of ['raw', 'features', 'manifests', 'requests']) expect(resourcesText).toContain(`/${top}/\${aws:PrincipalTag/partition}/\${aws:PrincipalTag/contractor}/*`);
    expect(write.Resource).toHaveLength(4);
    expect(joined(bySid(doc, 'ReadOwnPartitionConfig').Resource)).toContain('/config/partitions/${aws:PrincipalTag/partition}.json');
    const actions = statements(doc).flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => /^s3:List(Bucket|AllMyBuckets)/.test(a))).toEqual([]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('s3:DeleteObject');
  });

  it('admin: configs, list, lifecycle, user-pool admin, alarms, erasure, deletion feed; no envelope decrypt', () => {
    const doc = managed('RolesAdminPolicy');
    expect(statements(doc).map((s) => s.Sid)).toEqual([
      'PartitionConfigReadWrite',
      'AppendToDeletionFeed',
      'ListForStatusAndErasure',
      'BucketLifecycle',
      'EraseObjectsAllVersions',
      'ManageContractors',
      'AlarmState',
      'StorageKeyThroughS3Only',
    ]);
    expect(bySid(doc, 'PartitionConfigReadWrite').Action).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(joined(bySid(doc, 'PartitionConfigReadWrite').Resource)).toMatch(/\/config\/partitions\/\*"/);
    expect(bySid(doc, 'AppendToDeletionFeed').Action).toBe('s3:PutObject');
    expect(joined(bySid(doc, 'AppendToDeletionFeed').Resource)).toMatch(/\/deletions\/\*"/);
    expect(bySid(doc, 'ListForStatusAndErasure').Action).toEqual(['s3:ListBucket', 's3:ListBucketVersions']);
    expect(bySid(doc, 'BucketLifecycle').Action).toEqual(['s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration']);
    const erase = bySid(doc, 'EraseObjectsAllVersions');
    expect(erase.Action).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
    expect(erase.Resource.map((r: Json) => joined(r).match(/\/(\w+)\/\*"/)?.[1])).toEqual(['raw', 'features', 'manifests', 'requests']);
    const users = bySid(doc, 'ManageContractors');
    expect(users.Action).toEqual([
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
    ]);
    expect(users.Resource['Fn::GetAtt'][0]).toMatch(/^IdentityUserPool/);
    expect(bySid(doc, 'AlarmState').Action).toBe('cloudwatch:DescribeAlarms');
    const kmsStatements = statements(doc).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements.map((s) => s.Sid)).toEqual(['StorageKeyThroughS3Only']);
  });

  it('pipeline reader: list and read features/, manifests/ and deletions/ only; envelope Decrypt for features/manifest only', () => {
    const doc = managed('RolesPipelineReaderPolicy');
    const list = bySid(doc, 'ListFeaturesManifestsAndDeletions');
    expect(list.Action).toBe('s3:ListBucket');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['features/*', 'manifests/*', 'deletions/*'] } });
    const read = bySid(doc, 'ReadFeaturesManifestsAndDeletions');
    expect(read.Action).toBe('s3:GetObject');
    expect(read.Resource.map((r: Json) => joined(r).match(/\/(\w+)\/\*"/)?.[1])).toEqual(['features', 'manifests', 'deletions']);
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

  it('every output names the resource it claims (checked by value)', () => {
    const id = (type: string, prefix: string): string => {
      const found = resources(type).filter(([i]) => i.startsWith(prefix));
      expect(found, prefix).toHaveLength(1);
      return found[0]![0];
    };
    const arnOf = (type: string, prefix: string): Json => ({ 'Fn::GetAtt': [id(type, prefix), 'Arn'] });
    const refOf = (type: string, prefix: string): Json => ({ Ref: id(type, prefix) });
    const values = Object.fromEntries(Object.entries<Json>(json.Outputs).map(([k, o]) => [k, o.Value]));
    expect(values).toEqual({
      Region: { Ref: 'AWS::Region' },
      UserPoolId: refOf('AWS::Cognito::UserPool', 'IdentityUserPool'),
      UserPoolClientId: refOf('AWS::Cognito::UserPoolClient', 'IdentityUserPoolDesktopClient'),
      IdentityPoolId: refOf('AWS::Cognito::IdentityPool', 'IdentityIdentityPool'),
      EnvelopeKeyArn: arnOf('AWS::KMS::Key', 'KeysEnvelopeKey'),
      StorageKeyArn: arnOf('AWS::KMS::Key', 'KeysStorageKey'),
      AuditKeyArn: arnOf('AWS::KMS::Key', 'KeysAuditKey'),
      Bucket: refOf('AWS::S3::Bucket', 'DataBucket'),
      AlarmTopicArn: refOf('AWS::SNS::Topic', 'AlarmsTopic'),
      KeyEventsTopicArn: refOf('AWS::SNS::Topic', 'AlarmsKeyEventsTopic'),
      TrailBucket: refOf('AWS::S3::Bucket', 'AuditTrailBucket'),
      AccessLogsBucket: refOf('AWS::S3::Bucket', 'AuditAccessLogsBucket'),
      ContractorRoleArn: arnOf('AWS::IAM::Role', 'RolesContractorRole'),
      AdminRoleArn: arnOf('AWS::IAM::Role', 'RolesAdminRole'),
      PipelineReaderRoleArn: arnOf('AWS::IAM::Role', 'RolesPipelineReaderRole'),
    });
  });
});
