// The bucket lifecycle, against a real moto server (which stores the configuration but never runs
// it): every partition's raw rule and the global rules, merged without clobbering anyone's rules,
// and two admins applying at once, one of them writing over the other's rule, both rules in the end.
import { PutBucketLifecycleConfigurationCommand, S3Client, type LifecycleRule } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartition, type Partition } from '../../shared/partition';
import { s3ClientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { applyLifecycle, readLifecycleRules } from './apply-lifecycle';
import { createPartitionConfig, readAllPartitionConfigs } from './config-store';
import { mergeLifecycleRules } from './lifecycle';

const emulator = useTestEmulator();
const clients: S3Client[] = [];
function s3(): S3Client {
  const client = new S3Client(s3ClientConfig(emulator().adminTarget));
  clients.push(client);
  return client;
}
afterAll(() => clients.forEach((c) => c.destroy()));
const bucket = () => emulator().deployment.bucket;
const partitionsOf = (client: S3Client) => async () => (await readAllPartitionConfigs(client, bucket())).partitions.map((p) => p.partition);
const fast = { settleMs: 20 };

const partition = (id: string, glacier: number, expire: number): Partition => ({ ...demoPartition, id, name: id, keepRaw: true, rawGlacierDays: glacier, rawExpireDays: expire });

/** A rule someone else keeps on the bucket (say, for a logs/ prefix): the tooling must leave it alone. */
const foreignRule: LifecycleRule = { ID: 'ops-expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 14 } };

function summary(rules: LifecycleRule[]): Record<string, string> {
  return Object.fromEntries(
    rules.map((r) => [
      r.ID,
      [r.Filter?.Prefix ?? '', r.Transitions?.map((t) => `${t.StorageClass}@${t.Days}`).join(',') ?? '', r.Expiration?.Days ?? '', r.NoncurrentVersionExpiration?.NoncurrentDays ?? '', r.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? ''].join('|'),
    ]),
  );
}

beforeAll(async () => {
  const current = await readLifecycleRules(s3(), bucket());
  await s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket(), LifecycleConfiguration: { Rules: [...current, foreignRule] } }));
});

describe('bucket lifecycle', () => {
  it('writes the global rules and one raw rule per partition, keeping rules it does not own', async () => {
    await createPartitionConfig(s3(), bucket(), partition('p2', 10, 100), { by: 'admin' });
    const applied = await applyLifecycle(s3(), bucket(), { partitions: partitionsOf(s3()), ...fast });
    expect(applied.writes).toBe(1);
    expect(summary(await readLifecycleRules(s3(), bucket()))).toEqual({
      'voicevault-abort-incomplete-multipart': '||||1',
      'voicevault-expire-noncurrent-versions': '|||7|',
      'ops-expire-logs': 'logs/||14||',
      'voicevault-raw-demo': 'raw/demo/|GLACIER@30|365||',
      'voicevault-raw-p2': 'raw/p2/|GLACIER@10|100||',
    });
  });

  it('writes nothing when every rule is already in place', async () => {
    expect((await applyLifecycle(s3(), bucket(), { partitions: partitionsOf(s3()), ...fast })).writes).toBe(0);
  });

  it("repairs a lost update: an admin who read before the other's write puts back both rules", async () => {
    await createPartitionConfig(s3(), bucket(), partition('p3', 20, 200), { by: 'one' });
    await createPartitionConfig(s3(), bucket(), partition('p4', 40, 400), { by: 'two' });
    const slow = s3();
    const quick = s3();
    // The slow admin saw only p3 when it listed, and reads the rules before the quick one writes p4's.
    let listedOnce = false;
    const slowPartitions = async () => {
      const all = await partitionsOf(slow)();
      if (listedOnce) return all;
      listedOnce = true;
      return all.filter((p) => p.id !== 'p4');
    };
    let quickWrote!: () => void;
    const quickHasWritten = new Promise<void>((resolve) => (quickWrote = resolve));
    // … and the quick one writes only after that read, however the two are scheduled.
    let slowRead!: () => void;
    const slowHasRead = new Promise<void>((resolve) => (slowRead = resolve));
    let slowHeld = false;
    const slowWrites: LifecycleRule[][] = [];
    slow.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutBucketLifecycleConfigurationCommand') {
          slowWrites.push((args.input as { LifecycleConfiguration: { Rules: LifecycleRule[] } }).LifecycleConfiguration.Rules);
        }
        const result = await next(args);
        if (context.commandName === 'GetBucketLifecycleConfigurationCommand' && !slowHeld) {
          slowHeld = true;
          slowRead();
          await quickHasWritten;
        }
        return result;
      },
      { step: 'initialize', name: 'slowAdmin' },
    );
    quick.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutBucketLifecycleConfigurationCommand') await slowHasRead;
        const result = await next(args);
        if (context.commandName === 'PutBucketLifecycleConfigurationCommand') quickWrote();
        return result;
      },
      { step: 'initialize', name: 'quickAdmin' },
    );

    const [slowResult, quickResult] = await Promise.all([
      applyLifecycle(slow, bucket(), { partitions: slowPartitions, ...fast }),
      applyLifecycle(quick, bucket(), { partitions: partitionsOf(quick), settleMs: 1 }),
    ]);
    // The slow admin's first write was made from a stale read: it dropped p4's rule …
    expect(slowWrites[0]!.map((r) => r.ID)).not.toContain('voicevault-raw-p4');
    // … and an admin who verified after that write found it out and wrote once more (on a loaded machine
    // both may verify after it, and both repair: 3 or 4 writes, never fewer).
    expect(slowResult.writes + quickResult.writes).toBeGreaterThanOrEqual(3);
    expect(slowResult.writes + quickResult.writes).toBeLessThanOrEqual(4);
    const rules = summary(await readLifecycleRules(s3(), bucket()));
    expect(rules).toMatchObject({ 'voicevault-raw-p3': 'raw/p3/|GLACIER@20|200||', 'voicevault-raw-p4': 'raw/p4/|GLACIER@40|400||', 'ops-expire-logs': 'logs/||14||' });
    expect(Object.keys(rules)).toHaveLength(7);
  });

  it('keeps both rules when two admins apply at the same moment, again and again', async () => {
    for (const round of [1, 2, 3]) {
      const ids = [`r${round}a`, `r${round}b`];
      await Promise.all(ids.map((id, i) => createPartitionConfig(s3(), bucket(), partition(id, 5 + i, 50 + i), { by: id })));
      await Promise.all(ids.map(() => applyLifecycle(s3(), bucket(), { partitions: partitionsOf(s3()), ...fast })));
      const rules = summary(await readLifecycleRules(s3(), bucket()));
      expect(rules[`voicevault-raw-${ids[0]}`]).toBe(`raw/${ids[0]}/|GLACIER@5|50||`);
      expect(rules[`voicevault-raw-${ids[1]}`]).toBe(`raw/${ids[1]}/|GLACIER@6|51||`);
      expect(rules['voicevault-raw-p4']).toBe('raw/p4/|GLACIER@40|400||');
    }
  });

  it('merges by rule id: replaces in place, appends new, keeps the rest in order', () => {
    const rule = (id: string, days: number): LifecycleRule => ({ ID: id, Status: 'Enabled', Filter: { Prefix: `${id}/` }, Expiration: { Days: days } });
    expect(mergeLifecycleRules([rule('a', 1), rule('b', 2), rule('c', 3)], [rule('b', 20), rule('d', 4)]).map((r) => `${r.ID}:${r.Expiration?.Days}`)).toEqual(['a:1', 'b:20', 'c:3', 'd:4']);
  });
});
