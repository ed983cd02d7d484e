// Partition configurations in the bucket, against a real moto server: conditional creates and saves,
// two admins saving at once, and malformed partitions that change nothing.
import { GetObjectCommand, ListObjectVersionsCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { partitionConfigKey } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { demoPartition, type Partition } from '../../shared/partition';
import { s3ClientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { createPartitionConfig, listPartitionIds, readForAdmin, readPartitionConfig, savePartitionConfig, updatePartitionConfig } from './config-store';

const emulator = useTestEmulator();
const clients: S3Client[] = [];
function s3(extra: Partial<S3ClientConfig> = {}): S3Client {
  const client = new S3Client({ ...s3ClientConfig(emulator().adminTarget), ...extra });
  clients.push(client);
  return client;
}
afterAll(() => clients.forEach((c) => c.destroy()));
const bucket = () => emulator().deployment.bucket;

const p2 = (): Partition => ({
  ...demoPartition,
  id: 'p2',
  name: 'Second',
  keepRaw: true,
  rawGlacierDays: 10,
  rawExpireDays: 100,
  prompts: [
    { id: 'a', text: 'Alpha.' },
    { id: 'b', text: 'Beta.' },
  ],
  consent: { version: 'p2-v1', text: 'I agree to p2.' },
});

async function rejection(promise: Promise<unknown>): Promise<VoiceVaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VoiceVaultError) return error;
    throw error;
  }
  throw new Error('it was accepted');
}

async function versionsOf(id: string): Promise<number> {
  const listed = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket(), Prefix: partitionConfigKey(id) }));
  return (listed.Versions ?? []).filter((v) => v.Key === partitionConfigKey(id)).length;
}

/** Holds every GetObject answer of a client until `release` is called, so two admins read the same version. */
function holdReads(client: S3Client): { read: Promise<void>; release: () => void } {
  let release!: () => void;
  let signalRead!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const read = new Promise<void>((resolve) => (signalRead = resolve));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'GetObjectCommand') {
        signalRead();
        await gate;
      }
      return result;
    },
    { step: 'initialize', name: 'holdReads' },
  );
  return { read, release };
}

describe('partition configurations in the bucket', () => {
  it('creates a partition once, with who saved it, and refuses to create it again', async () => {
    const created = await createPartitionConfig(s3(), bucket(), p2(), { by: 'admin' });
    expect(created.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const object = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: 'config/partitions/p2.json' }));
    expect(object.Metadata).toEqual({ 'updated-by': 'admin' });
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(p2());

    const again = await rejection(createPartitionConfig(s3(), bucket(), { ...p2(), name: 'Other' }, { by: 'admin' }));
    expect(again.code).toBe('AlreadyExists');
    expect(again.message).toBe('Partition p2 already exists. Change it with update instead.');
    expect((await readPartitionConfig(s3(), bucket(), 'p2')).partition.name).toBe('Second');
    expect(await listPartitionIds(s3(), bucket())).toEqual(['demo', 'p2']);
  });

  it('refuses a save made on a version someone else has since replaced, and keeps theirs', async () => {
    const read = await readForAdmin(s3(), bucket(), 'p2');
    await savePartitionConfig(s3(), bucket(), { ...read.partition, name: 'Theirs' }, { by: 'grace-admin', etag: read.etag! });
    const stale = await rejection(savePartitionConfig(s3(), bucket(), { ...read.partition, name: 'Mine' }, { by: 'admin', etag: read.etag! }));
    expect(stale.code).toBe('Conflict');
    expect(stale.message).toMatch(/^Partition p2 was changed by someone else since you opened it, so your change was not saved\./);
    expect((await readPartitionConfig(s3(), bucket(), 'p2')).partition.name).toBe('Theirs');
  });

  it('keeps both changes when two admins update the same partition at once', async () => {
    const before = await versionsOf('p2');
    const first = s3();
    const second = s3();
    const holdFirst = holdReads(first);
    const holdSecond = holdReads(second);
    const renaming = updatePartitionConfig(first, bucket(), 'p2', (p) => ({ ...p, name: 'Renamed by one' }), { by: 'one' });
    const prompting = updatePartitionConfig(second, bucket(), 'p2', (p) => ({ ...p, prompts: [...p.prompts, { id: 'c', text: 'Gamma.' }] }), { by: 'two' });
    // Both have read the same version before either writes: a plain last-writer-wins would lose one change.
    await Promise.all([holdFirst.read, holdSecond.read]);
    holdFirst.release();
    holdSecond.release();
    const results = await Promise.all([renaming, prompting]);

    expect(results.map((r) => r.changed)).toEqual([true, true]);
    expect(results.map((r) => r.attempts).sort()).toEqual([1, 2]);
    const { partition } = await readPartitionConfig(s3(), bucket(), 'p2');
    expect(partition.name).toBe('Renamed by one');
    expect(partition.prompts.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(await versionsOf('p2')).toBe(before + 2);
  });

  it('writes no new version when an update changes nothing', async () => {
    const before = await versionsOf('p2');
    const result = await updatePartitionConfig(s3(), bucket(), 'p2', (p) => p, { by: 'admin' });
    expect(result.changed).toBe(false);
    expect(await versionsOf('p2')).toBe(before);
  });

  it('refuses malformed partitions with every problem named, and changes nothing', async () => {
    const before = await versionsOf('p2');
    const bad = await rejection(updatePartitionConfig(s3(), bucket(), 'p2', (p) => ({ ...p, rawGlacierDays: 500, rawExpireDays: -1, prompts: [] }), { by: 'admin' }));
    expect(bad.code).toBe('InvalidPartition');
    expect(bad.message).toBe(
      [
        'Partition p2 was not saved:',
        '  rawExpireDays: must be at least 1 day (got -1)',
        '  prompts: a partition needs at least one prompt',
        '  rawGlacierDays: raw audio would move to Glacier after 500 days but expire after -1; rawGlacierDays must be below rawExpireDays',
      ].join('\n'),
    );
    const badCreate = await rejection(createPartitionConfig(s3(), bucket(), { ...p2(), id: 'Bad_Id' }, { by: 'admin' }));
    expect(badCreate.message).toMatch(/^Partition Bad_Id was not saved:\n {2}id: a partition id is 1 to 63 lowercase letters/);
    expect(await versionsOf('p2')).toBe(before);
    expect(await listPartitionIds(s3(), bucket())).toEqual(['demo', 'p2']);
  });

  it('refuses new consent words under the old consent version', async () => {
    const refused = await rejection(updatePartitionConfig(s3(), bucket(), 'p2', (p) => ({ ...p, consent: { ...p.consent, text: 'New words.' } }), { by: 'admin' }));
    expect(refused.message).toBe(
      'Partition p2 was not saved: the consent text changed but its version is still p2-v1. Give the new text a new version, so every contractor is asked again.',
    );
    const accepted = await updatePartitionConfig(s3(), bucket(), 'p2', (p) => ({ ...p, consent: { version: 'p2-v2', text: 'New words.' } }), { by: 'admin' });
    expect(accepted.partition.consent).toEqual({ version: 'p2-v2', text: 'New words.' });
  });

  it('says plainly when a partition does not exist or an id is malformed', async () => {
    expect((await rejection(readForAdmin(s3(), bucket(), 'nope'))).message).toBe('There is no partition nope.');
    expect((await rejection(readForAdmin(s3(), bucket(), '../x'))).message).toBe('"../x" is not a partition id (lowercase letters, digits and dashes).');
    expect((await rejection(updatePartitionConfig(s3(), bucket(), 'p2', (p) => ({ ...p, id: 'p3' }), { by: 'admin' }))).message).toBe(
      "A partition's id cannot change (p2 → p3); create a new partition instead.",
    );
  });
});
