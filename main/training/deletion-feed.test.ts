// The deletion feed against a real moto server: append-only records that hold no personal data.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEmulator } from '../emulator/test-emulator';
import { adminBucket, type AdminBucket } from './testing';
import { appendDeletionRecord, newDeletionRecords, parseDeletionRecord, type DeletionRecord } from './index';

const emulator = useTestEmulator();
let admin: AdminBucket;
beforeAll(() => {
  admin = adminBucket(emulator().deployment, emulator().adminTarget);
});
afterAll(() => admin?.close());

const bucket = () => emulator().deployment.bucket;

async function feedKeys(): Promise<string[]> {
  const listing = await admin.s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: 'deletions/' }));
  return (listing.Contents ?? []).map((o) => o.Key!);
}

describe('the deletion feed', () => {
  it('writes a record to deletions/<time>-<id>.json holding sample ids, partition, time and reason only', async () => {
    const [record] = newDeletionRecords({ partition: 'demo', samples: ['01KA0000000000000000000001', '01KA0000000000000000000002'], reason: 'sample-erased' }, new Date('2026-05-02T08:30:00.250Z'), () => '01KAREC0000000000000000001');
    const { key } = await appendDeletionRecord(admin.s3, bucket(), record!);
    expect(key).toBe('deletions/20260502T083000250Z-01KAREC0000000000000000001.json');
    const stored = JSON.parse(new TextDecoder().decode(await admin.get(key))) as unknown;
    expect(stored).toEqual({
      format: 'voicevault-deletion/1',
      id: '01KAREC0000000000000000001',
      time: '2026-05-02T08:30:00.250Z',
      partition: 'demo',
      samples: ['01KA0000000000000000000001', '01KA0000000000000000000002'],
      reason: 'sample-erased',
    });
    expect(parseDeletionRecord(await admin.get(key), key)).toEqual(stored);
  });

  it('never replaces a record: a second put at the same key is refused and the first stays as it was', async () => {
    const [first] = newDeletionRecords({ partition: 'demo', samples: ['01KA0000000000000000000003'], reason: 'contractor-erased' }, new Date('2026-05-02T09:00:00Z'), () => '01KAREC0000000000000000002');
    const { key } = await appendDeletionRecord(admin.s3, bucket(), first!);
    const impostor: DeletionRecord = { ...first!, samples: ['01KA0000000000000000000004'] };
    await expect(appendDeletionRecord(admin.s3, bucket(), impostor)).rejects.toMatchObject({ code: 'AlreadyExists' });
    expect(parseDeletionRecord(await admin.get(key), key).samples).toEqual(['01KA0000000000000000000003']);
  });

  it('refuses records with personal data or anything malformed, before writing anything', async () => {
    const before = await feedKeys();
    const [valid] = newDeletionRecords({ partition: 'demo', samples: ['01KA0000000000000000000005'], reason: 'consent-withdrawn' });
    const bad: [string, unknown][] = [
      ['an e-mail', { ...valid, email: 'ada@example.com' }],
      ['a contractor id', { ...valid, contractor: '5b0c1d2e-0000-4000-8000-000000000000' }],
      ['no samples', { ...valid, samples: [] }],
      ['a path in a sample id', { ...valid, samples: ['../raw/x'] }],
      ['a sample twice', { ...valid, samples: ['01KA0000000000000000000005', '01KA0000000000000000000005'] }],
      ['an unknown reason', { ...valid, reason: 'because' }],
      ['no time', { ...valid, time: 'yesterday' }],
    ];
    for (const [what, record] of bad) {
      await expect(appendDeletionRecord(admin.s3, bucket(), record as DeletionRecord), what).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/not a valid deletion record/) });
    }
    expect(await feedKeys()).toEqual(before);
  });

  it('splits a large erasure into records of at most 10 000 samples', () => {
    const samples = Array.from({ length: 25_000 }, (_, i) => `S${String(i).padStart(6, '0')}`);
    const records = newDeletionRecords({ partition: 'demo', samples, reason: 'contractor-erased' });
    expect(records.map((r) => r.samples.length)).toEqual([10_000, 10_000, 5_000]);
    expect(records.flatMap((r) => r.samples)).toEqual(samples);
    expect(new Set(records.map((r) => r.id)).size).toBe(3);
  });

  it('reads back only a record that belongs at its key', () => {
    const [record] = newDeletionRecords({ partition: 'demo', samples: ['01KA0000000000000000000006'], reason: 'retention-expired' }, new Date('2026-05-03T00:00:00Z'), () => '01KAREC0000000000000000003');
    const bytes = new TextEncoder().encode(JSON.stringify(record));
    expect(() => parseDeletionRecord(bytes, 'deletions/20260101T000000000Z-01KAREC0000000000000000003.json')).toThrow(/belongs at deletions\/20260503T000000000Z-/);
    expect(() => parseDeletionRecord(new TextEncoder().encode('{not json'), 'deletions/x.json')).toThrow(/not JSON/);
  });
});
