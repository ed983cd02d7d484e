// The deployed metric-filter patterns and the Contributor Insights rule, run against sample
// CloudTrail records: each alarm's filter matches the events it is for and nothing else.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import { contributorKey, matchesFilterPattern, parseFilterPattern } from './filter-pattern';
import type { Json } from './json';
import { resolveTemplate, SIM_ENV } from './resolve';

const { account: acct, region } = SIM_ENV;
const session = (role: string, name: string): Json => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLEROLEID:${name}`,
  arn: `arn:aws:sts::${acct}:assumed-role/${role}/${name}`,
  accountId: acct,
  accessKeyId: `ASIA${name.toUpperCase().padEnd(16, 'X').slice(0, 16)}`,
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID', arn: `arn:aws:iam::${acct}:role/${role}`, accountId: acct, userName: role },
    attributes: { creationDate: '2026-01-05T10:00:00Z', mfaAuthenticated: 'false' },
  },
});
const record = (fields: Json): Json => ({
  eventVersion: '1.09',
  eventTime: '2026-01-05T10:01:02Z',
  awsRegion: region,
  sourceIPAddress: '198.51.100.7',
  userAgent: 'aws-sdk-js/3',
  requestID: 'EXAMPLE',
  eventID: '00000000-0000-0000-0000-000000000000',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: acct,
  ...fields,
});

let filters: Record<string, string>;
let insightRule: Json;
let keyArn: { envelope: string; storage: string; audit: string };
let samples: Record<string, Json>;

// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  const json = await synthesizedTemplate();
  const r = resolveTemplate(json);
  const byType = (type: string): [string, Json][] => Object.entries<Json>(json.Resources).filter(([, x]) => x.Type === type);
  filters = Object.fromEntries(
    byType('AWS::Logs::MetricFilter').map(([, f]) => [f.Properties.MetricTransformations[0].MetricName, r.resolve(f.Properties.FilterPattern) as string]),
  );
  insightRule = JSON.parse(byType('AWS::CloudWatch::InsightRule')[0]![1].Properties.RuleBody);
  const arnOf = (prefix: string): string => r.arn[byType('AWS::KMS::Key').find(([id]) => id.startsWith(prefix))![0]]!;
  keyArn = { envelope: arnOf('KeysEnvelopeKey'), storage: arnOf('KeysStorageKey'), audit: arnOf('KeysAuditKey') };
  const bucket = `voicevault-data-${acct}-${region}`;
  const kmsKey = (arn: string): Json => [{ accountId: acct, type: 'AWS::KMS::Key', ARN: arn }];
  const contractor = session('voicevault-contractor', 'CognitoIdentityCredentials');
  samples = {
    'GetObject by a contractor': record({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventCategory: 'Data',
      managementEvent: false,
      readOnly: true,
      userIdentity: contractor,
      requestParameters: { bucketName: bucket, key: 'config/partitions/north.json' },
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/config/partitions/north.json` }],
    }),
    'GetObject denied to a contractor': record({
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventCategory: 'Data',
      userIdentity: contractor,
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
      requestParameters: { bucketName: bucket, key: 'raw/north/x/s1.sealed' },
    }),
    'PutObject by a contractor': record({ eventSource: 's3.amazonaws.com', eventName: 'PutObject', eventCategory: 'Data', userIdentity: contractor }),
    'Decrypt of the envelope key by the reader': record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      readOnly: true,
      userIdentity: session('voicevault-pipeline-reader', 'training-1'),
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { app: 'voicevault', kind: 'features' } },
      resources: kmsKey(keyArn.envelope),
    }),
    'Decrypt of the storage key by S3': record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      readOnly: true,
      userIdentity: { ...contractor, invokedBy: 's3.amazonaws.com' },
      resources: kmsKey(keyArn.storage),
    }),
    'GenerateDataKey on the envelope key by a contractor': record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      userIdentity: contractor,
      resources: kmsKey(keyArn.envelope),
    }),
    'DisableKey on the storage key': record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'DisableKey',
      userIdentity: session('OrganizationAccountAccessRole', 'someone'),
      requestParameters: { keyId: keyArn.storage },
      resources: kmsKey(keyArn.storage),
    }),
    'ScheduleKeyDeletion of the audit key': record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'ScheduleKeyDeletion',
      userIdentity: session('OrganizationAccountAccessRole', 'someone'),
      requestParameters: { keyId: keyArn.audit, pendingWindowInDays: 7 },
      resources: kmsKey(keyArn.audit),
    }),
    'PutKeyPolicy on the envelope key': record({
      eventSource: 'kms.amazonaws.com',
      eventName: 'PutKeyPolicy',
      userIdentity: session('OrganizationAccountAccessRole', 'someone'),
      requestParameters: { keyId: keyArn.envelope, policyName: 'default' },
      resources: kmsKey(keyArn.envelope),
    }),
    'PutBucketPolicy on the data bucket': record({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: bucket } }),
    'StopLogging of the trail': record({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'voicevault-trail' } }),
    'an EC2 call without permission': record({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: 'Client.UnauthorizedOperation' }),
  };
}, 240_000);

const matching = (metric: string): string[] => Object.keys(samples).filter((name) => matchesFilterPattern(filters[metric]!, samples[name]));

describe('metric-filter patterns on sample CloudTrail events', () => {
  it('the stack has exactly these six filters', () => {
    expect(Object.keys(filters).sort()).toEqual(['BucketPolicyChanges', 'BulkGetobject', 'CloudtrailChanges', 'EnvelopeDecryptVolume', 'KmsKeyDisableOrDeletion', 'UnauthorizedApiCalls']);
  });

  it('bulk GetObject counts every GetObject, allowed or denied, and nothing else', () => {
    expect(matching('BulkGetobject')).toEqual(['GetObject by a contractor', 'GetObject denied to a contractor']);
  });

  it('envelope Decrypt counts Decrypt of the envelope key only (not the storage key, not GenerateDataKey)', () => {
    expect(matching('EnvelopeDecryptVolume')).toEqual(['Decrypt of the envelope key by the reader']);
  });

  it('key disable/deletion matches DisableKey, ScheduleKeyDeletion and PutKeyPolicy', () => {
    expect(matching('KmsKeyDisableOrDeletion')).toEqual(['DisableKey on the storage key', 'ScheduleKeyDeletion of the audit key', 'PutKeyPolicy on the envelope key']);
  });

  it('bucket policy changes, trail changes and unauthorized calls each match their events', () => {
    expect(matching('BucketPolicyChanges')).toEqual(['PutBucketPolicy on the data bucket']);
    expect(matching('CloudtrailChanges')).toEqual(['StopLogging of the trail']);
    expect(matching('UnauthorizedApiCalls')).toEqual(['GetObject denied to a contractor', 'an EC2 call without permission']);
  });

  it('Contributor Insights: one key per role, whatever the session name; GetObject events only', () => {
    const keyOf = (event: Json): unknown[] => (insightRule.Contribution.Keys as string[]).map((k) => contributorKey(k, event));
    const get = (role: string, name: string): Json => ({ ...samples['GetObject by a contractor'], userIdentity: session(role, name) });
    expect(keyOf(get('voicevault-pipeline-reader', 'run-1'))).toEqual(keyOf(get('voicevault-pipeline-reader', 'run-2')));
    expect(keyOf(get('voicevault-pipeline-reader', 'run-1'))).toEqual([`arn:aws:iam::${acct}:role/voicevault-pipeline-reader`]);
    expect(keyOf(get('voicevault-pipeline-reader', 'run-1'))).not.toEqual(keyOf(get('voicevault-contractor', 'run-1')));
    const passes = (event: Json): boolean =>
      (insightRule.Contribution.Filters as { Match: string; In: string[] }[]).every((f) => f.In.includes(contributorKey(f.Match, event) as string));
    expect(Object.keys(samples).filter((n) => passes(samples[n]))).toEqual(['GetObject by a contractor', 'GetObject denied to a contractor']);
  });
});

describe('the filter-pattern evaluator itself', () => {
  it('honours wildcards, array indexes, precedence and missing fields', () => {
    const event = { a: 'Client.UnauthorizedOperation', list: [{ ARN: 'x' }], n: 3 };
    expect(matchesFilterPattern('{ $.a = "*UnauthorizedOperation" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.a = "Unauthorized*" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.list[0].ARN = "x" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.list[1].ARN = "x" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.missing = "x" || $.n = 3 }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.n = 3 && $.a != "*Unauthorized*" || $.list[0].ARN = "x" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.n = 3 && ($.a != "*Unauthorized*" || $.list[0].ARN = "y") }', event)).toBe(false);
  });

  it('refuses syntax it does not know instead of guessing', () => {
    expect(() => parseFilterPattern('{ $.n > 3 }')).toThrow(/cannot read/);
    expect(() => parseFilterPattern('{ $.n $.m }')).toThrow(/unsupported operator/);
    expect(() => parseFilterPattern('[ip, user]')).toThrow();
    expect(() => parseFilterPattern('{ $.a = "x" ')).toThrow(/end/);
  });
});
