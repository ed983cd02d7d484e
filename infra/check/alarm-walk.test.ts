// Each alarm, end to end: alarm → action → topic policy allows CloudWatch for this alarm → the
// topic's key allows CloudWatch for this topic. And each hop, broken on its own, is reported.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import { walkAlarms } from './alarm-walk';
import type { Json } from './json';

let json: Json;
// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  json = await synthesizedTemplate();
}, 240_000);

const idOf = (t: Json, prefix: string): string => Object.keys(t.Resources).find((id) => id.startsWith(prefix))!;
const broken = async (mutate: (t: Json) => void): Promise<Record<string, string | undefined>> => {
  const t = structuredClone(json);
  mutate(t);
  return Object.fromEntries((await walkAlarms(t)).map((w) => [w.alarm, w.broken]));
};

describe('alarm walk', () => {
  it('every one of the seven alarms reaches the topic, through its policy and its key', async () => {
    const walks = await walkAlarms(json);
    expect(walks.map((w) => w.alarm).sort()).toEqual(
      [
        'voicevault-bucket-policy-changes',
        'voicevault-bulk-getobject',
        'voicevault-cloudtrail-changes',
        'voicevault-envelope-decrypt-volume',
        'voicevault-getobject-per-principal',
        'voicevault-kms-key-disable-or-deletion',
        'voicevault-unauthorized-api-calls',
      ].sort(),
    );
    expect(walks.filter((w) => !w.ok)).toEqual([]);
  });

  it('reports an alarm without an action', async () => {
    const result = await broken((t) => {
      t.Resources[idOf(t, 'AlarmsCloudtrailChangesAlarm')].Properties.AlarmActions = [];
    });
    expect(result['voicevault-cloudtrail-changes']).toBe('the alarm has no action');
    expect(result['voicevault-bulk-getobject']).toBeUndefined();
  });

  it('reports a topic policy that leaves one alarm out', async () => {
    const result = await broken((t) => {
      const stmt = t.Resources[idOf(t, 'AlarmsTopicPolicy')].Properties.PolicyDocument.Statement.find((s: Json) => s.Sid === 'CloudWatchAlarmsPublish');
      stmt.Condition.ArnEquals['aws:SourceArn'] = stmt.Condition.ArnEquals['aws:SourceArn'].filter((a: Json) => !a['Fn::GetAtt'][0].startsWith('AlarmsBulkGetobjectAlarm'));
    });
    expect(result['voicevault-bulk-getobject']).toMatch(/topic policy .* does not let CloudWatch publish/);
    expect(result['voicevault-cloudtrail-changes']).toBeUndefined();
  });

  it('reports a topic moved to a key that does not let CloudWatch in (the storage key)', async () => {
    const result = await broken((t) => {
      t.Resources[idOf(t, 'AlarmsTopic')].Properties.KmsMasterKeyId = { 'Fn::GetAtt': [idOf(t, 'KeysStorageKey'), 'Arn'] };
    });
    expect(Object.values(result).every((b) => /does not let CloudWatch kms:GenerateDataKey/.test(b ?? ''))).toBe(true);
  });
});
