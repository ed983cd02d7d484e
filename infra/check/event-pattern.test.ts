// The deployed key-events rule, run against sample EventBridge events ("AWS API Call via
// CloudTrail"): it fires for DisableKey / ScheduleKeyDeletion / PutKeyPolicy on any of the three
// VoiceVault keys, named by ARN or by key id, and for nothing else.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import { matchesEventPattern } from './event-pattern';
import type { Json } from './json';
import { resolveTemplate, SIM_ENV } from './resolve';

const { account: acct, region } = SIM_ENV;
let pattern: Json;
let keys: Record<'envelope' | 'storage' | 'audit', { arn: string; id: string }>;

const kmsCall = (eventName: string, requestParameters: Json, resourceArn?: string): Json => ({
  version: '0',
  id: '11111111-2222-3333-4444-555555555555',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.kms',
  account: acct,
  time: '2026-01-05T10:01:02Z',
  region,
  resources: [],
  detail: {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${acct}:assumed-role/OrganizationAccountAccessRole/someone` },
    eventSource: 'kms.amazonaws.com',
    eventName,
    awsRegion: region,
    requestParameters,
    ...(resourceArn ? { resources: [{ accountId: acct, type: 'AWS::KMS::Key', ARN: resourceArn }] } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
  },
});

// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  const json = await synthesizedTemplate();
  const r = resolveTemplate(json);
  const rule = Object.values<Json>(json.Resources).find((x) => x.Type === 'AWS::Events::Rule');
  pattern = r.resolve(rule.Properties.EventPattern);
  const key = (prefix: string): { arn: string; id: string } => {
    const id = Object.keys(json.Resources).find((k) => k.startsWith(prefix))!;
    return { arn: r.arn[id]!, id: r.ref[id]! };
  };
  keys = { envelope: key('KeysEnvelopeKey'), storage: key('KeysStorageKey'), audit: key('KeysAuditKey') };
}, 240_000);

describe('key-events rule on sample events', () => {
  it('fires for DisableKey, ScheduleKeyDeletion and PutKeyPolicy on each VoiceVault key', () => {
    for (const k of Object.values(keys)) {
      expect(matchesEventPattern(pattern, kmsCall('DisableKey', { keyId: k.arn }, k.arn))).toBe(true);
      expect(matchesEventPattern(pattern, kmsCall('ScheduleKeyDeletion', { keyId: k.arn, pendingWindowInDays: 7 }, k.arn))).toBe(true);
      expect(matchesEventPattern(pattern, kmsCall('PutKeyPolicy', { keyId: k.arn, policyName: 'default' }, k.arn))).toBe(true);
    }
  });

  it('fires when the request names the key by id and the record lists no resources', () => {
    expect(matchesEventPattern(pattern, kmsCall('DisableKey', { keyId: keys.audit.id }))).toBe(true);
  });

  it('fires when only the record resources name the key', () => {
    expect(matchesEventPattern(pattern, kmsCall('ScheduleKeyDeletion', { keyId: 'something-else' }, keys.storage.arn))).toBe(true);
  });

  it('stays quiet for other keys, other calls and other sources', () => {
    const other = `arn:aws:kms:${region}:${acct}:key/99999999-9999-9999-9999-999999999999`;
    expect(matchesEventPattern(pattern, kmsCall('DisableKey', { keyId: other }, other))).toBe(false);
    expect(matchesEventPattern(pattern, kmsCall('EnableKey', { keyId: keys.envelope.arn }, keys.envelope.arn))).toBe(false);
    expect(matchesEventPattern(pattern, kmsCall('Decrypt', {}, keys.envelope.arn))).toBe(false);
    expect(matchesEventPattern(pattern, { ...kmsCall('DisableKey', { keyId: keys.envelope.arn }, keys.envelope.arn), source: 'aws.s3' })).toBe(false);
  });

  it('the evaluator refuses content filters it does not implement', () => {
    expect(() => matchesEventPattern({ source: [{ prefix: 'aws.' }] }, { source: 'aws.kms' })).toThrow(/content filter/);
  });
});
