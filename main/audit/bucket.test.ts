// The bucket as witness of the local chain, against a real moto server.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ClientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { AuditLog, listAuditedObjects, verifyAgainstBucket, verifyAuditChain, type AuditRecord } from '.';

const emulator = useTestEmulator();

let s3: S3Client;
let directory: string;

beforeAll(async () => {
  s3 = new S3Client(s3ClientConfig(emulator().adminTarget));
  directory = await mkdtemp(join(tmpdir(), 'voicevault-audit-bucket-'));
});
afterAll(async () => {
  s3.destroy();
  await rm(directory, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

/** Seals (stand-in bytes), records `sealed`, uploads each object with the record's hash as its audit head. */
async function sealAndUpload(log: AuditLog, prefix: string, sample: string): Promise<{ record: AuditRecord; keys: string[] }> {
  const objects = ['speech16k', 'manifest'].map((name) => {
    const body = randomBytes(2048);
    return { key: `${prefix}${sample}.${name}.sealed`, body, sha256: sha256(body) };
  });
  const record = await log.append({ action: 'sealed', sample, objects: objects.map(({ key, sha256 }) => ({ key, sha256 })) });
  for (const object of objects) {
    await s3.send(
      new PutObjectCommand({
        Bucket: emulator().deployment.bucket,
        Key: object.key,
        Body: object.body,
        ChecksumSHA256: object.sha256,
        ChecksumAlgorithm: 'SHA256',
        Metadata: { 'voicevault-audit-head': record.hash },
        IfNoneMatch: '*',
      }),
    );
  }
  await log.append({ action: 'uploaded', sample, objects: objects.map(({ key, sha256 }) => ({ key, sha256 })) });
  return { record, keys: objects.map((o) => o.key) };
}

describe('the local chain against the bucket (moto)', () => {
  it('verifies objects uploaded with their audit head, and shows the objects of lines deleted from the end of the log', async () => {
    const path = join(directory, 'truncated.jsonl');
    const prefix = 'features/demo/contractor-truncated/';
    const log = await AuditLog.open(path);
    const first = await sealAndUpload(log, prefix, 'S1');
    const second = await sealAndUpload(log, prefix, 'S2');
    await log.close();

    const listing = await listAuditedObjects(s3, { bucket: emulator().deployment.bucket, prefixes: [prefix] });
    expect(listing.map((o) => o.key)).toEqual([...first.keys, ...second.keys].sort());
    expect(listing.every((o) => o.metadata['voicevault-audit-head'] && o.sha256?.length === 44)).toBe(true);
    const chain = await verifyAuditChain(path);
    expect(verifyAgainstBucket(chain.records, listing)).toEqual({ ok: true, checked: 4, problems: [] });

    // Someone deletes the last two lines (S2's sealed and uploaded records): the shorter chain is valid…
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${lines.slice(0, 2).join('\n')}\n`);
    const shortened = await verifyAuditChain(path);
    expect(shortened.ok).toBe(true);
    // …but S2's objects in the bucket name a record the log no longer has.
    const verdict = verifyAgainstBucket(shortened.records, listing);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.map((p) => p.key)).toEqual([...second.keys].sort());
    expect(verdict.problems[0]!.problem).toContain('not in the local audit log');
  });

  it('shows a rewritten chain: every object names a head the new chain does not have', async () => {
    const path = join(directory, 'rewritten.jsonl');
    const prefix = 'features/demo/contractor-rewritten/';
    const log = await AuditLog.open(path);
    await sealAndUpload(log, prefix, 'S1');
    await log.close();

    // The whole log is written again from scratch with the same actions (all hashes consistent).
    await rm(path);
    const forged = await AuditLog.open(path, { now: () => Date.UTC(2030, 0, 1) });
    const listing = await listAuditedObjects(s3, { bucket: emulator().deployment.bucket, prefixes: [prefix] });
    await forged.append({ action: 'sealed', sample: 'S1', objects: listing.map(({ key, sha256 }) => ({ key, sha256: sha256! })) });
    await forged.close();

    const chain = await verifyAuditChain(path);
    expect(chain.ok).toBe(true);
    const verdict = verifyAgainstBucket(chain.records, listing);
    expect(verdict.problems).toHaveLength(2);
    expect(verdict.problems.every((p) => p.problem.includes('not in the local audit log'))).toBe(true);
  });

  it('names an object whose bytes differ from the sealed ones, and one without an audit head', async () => {
    const path = join(directory, 'replaced.jsonl');
    const prefix = 'features/demo/contractor-replaced/';
    const bucket = emulator().deployment.bucket;
    const log = await AuditLog.open(path);
    const { record, keys } = await sealAndUpload(log, prefix, 'S1');
    await log.close();
    // Overwritten (a new version) with other bytes but the same head, and a stray object with no head.
    const other = randomBytes(2048);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[0], Body: other, ChecksumSHA256: sha256(other), ChecksumAlgorithm: 'SHA256', Metadata: { 'voicevault-audit-head': record.hash } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}stray.sealed`, Body: other, ChecksumSHA256: sha256(other), ChecksumAlgorithm: 'SHA256' }));

    const listing = await listAuditedObjects(s3, { bucket, prefixes: [prefix] });
    const verdict = verifyAgainstBucket((await verifyAuditChain(path)).records, listing);
    expect(verdict.problems).toEqual([
      { key: keys[0], problem: expect.stringContaining(`its SHA-256 is ${sha256(other)} in the bucket`) },
      { key: `${prefix}stray.sealed`, problem: expect.stringContaining('carries no audit head') },
    ]);
  });

  it('compares a multipart object by the SHA-256 of its whole body, not the per-part composite', async () => {
    const path = join(directory, 'multipart.jsonl');
    const bucket = emulator().deployment.bucket;
    const key = 'raw/demo/contractor-multipart/S1.sealed';
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1024 * 1024)];
    const whole = Buffer.concat(parts);
    const log = await AuditLog.open(path);
    const record = await log.append({ action: 'sealed', sample: 'S1', objects: [{ key, sha256: sha256(whole) }] });
    await log.close();

    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256', Metadata: { 'voicevault-audit-head': record.hash } }));
    const done = [];
    for (const [index, part] of parts.entries()) {
      const sent = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId, PartNumber: index + 1, Body: part, ChecksumSHA256: sha256(part) }));
      done.push({ PartNumber: index + 1, ETag: sent.ETag, ChecksumSHA256: sent.ChecksumSHA256 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId, MultipartUpload: { Parts: done } }));

    const listing = await listAuditedObjects(s3, { bucket, prefixes: ['raw/demo/contractor-multipart/'] });
    expect(listing).toEqual([{ key, sha256: sha256(whole), metadata: { 'voicevault-audit-head': record.hash } }]);
    expect(verifyAgainstBucket((await verifyAuditChain(path)).records, listing).ok).toBe(true);
  });
});
