import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VoiceVaultError } from '../../shared/errors';
import { s3ClientConfig } from '../aws/target';
import { startLoopbackProxy, type LoopbackProxy } from '../emulator/loopback-proxy';
import { useTestEmulator } from '../emulator/test-emulator';
import type { OutboxEntry } from '../outbox';
import { Uploader, type UploadReceipt, type UploaderOptions } from './index';
import { Bucket, expectedComposite, mebibyte, proxiedS3, s3Operation, sealedSample, sha256, temporaryOutbox } from './upload-test-kit';

const emulator = useTestEmulator();
let proxy: LoopbackProxy;
let bucket: Bucket;
const clients: S3Client[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  proxy = await startLoopbackProxy({ target: emulator().deployment.endpoint! });
  bucket = new Bucket(emulator().adminTarget, emulator().deployment.bucket);
});

afterEach(async () => {
  proxy.setFault(undefined);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  bucket?.close();
  await proxy?.close();
});

async function uploaderFor(options: Partial<UploaderOptions> = {}) {
  const { outbox, dir, cleanup } = await temporaryOutbox();
  cleanups.push(cleanup);
  const { deployment } = emulator();
  const uploader = new Uploader({
    outbox,
    s3: proxiedS3(deployment, proxy, clients),
    bucket: deployment.bucket,
    storageKeyArn: deployment.storageKeyArn,
    multipartThresholdBytes: 8 * mebibyte,
    partSizeBytes: 5 * mebibyte,
    sleep: async () => undefined,
    ...options,
  });
  return { outbox, dir, uploader };
}

describe('the uploader', () => {
  it('uploads a small object in one put and a large one in parts, SSE-KMS under the storage key, with SHA-256 checks, then empties the outbox', async () => {
    const { deployment } = emulator();
    const uploadedWhileQueued: boolean[] = [];
    const receipts: UploadReceipt[] = [];
    const { outbox, uploader } = await uploaderFor({
      onUploaded: async (entry, receipt) => {
        uploadedWhileQueued.push(await outbox.has(entry.sample));
        expect(entry.state).toBe('uploaded');
        receipts.push(receipt);
      },
    });
    const sample = sealedSample([100_000, 12 * mebibyte]);
    await outbox.add(sample.input);
    const progress: [number, number][] = [];
    uploader.onProgress((s, sent, total) => s === sample.input.sample && progress.push([sent, total]));
    const first = proxy.requests.length;

    const result = await uploader.drain();

    expect(result.remaining).toEqual([]);
    expect(result.uploaded).toHaveLength(1);
    expect(uploadedWhileQueued).toEqual([true]); // the hook ran before the entry left the outbox
    expect(await outbox.list()).toEqual([]);

    const [small, large] = sample.input.objects;
    const smallBytes = sample.bytes.get(small!.key)!;
    const largeBytes = sample.bytes.get(large!.key)!;
    expect(receipts[0]!.objects).toEqual([
      expect.objectContaining({ key: small!.key, bytes: 100_000, sha256: sha256(smallBytes), s3Checksum: sha256(smallBytes), checksumType: 'FULL_OBJECT' }),
      expect.objectContaining({ key: large!.key, bytes: 12 * mebibyte, sha256: sha256(largeBytes), checksumType: 'COMPOSITE' }),
    ]);

    const storageKeyId = deployment.storageKeyArn.split('/').pop();
    const smallHead = await bucket.head(small!.key);
    expect(smallHead).toMatchObject({ ServerSideEncryption: 'aws:kms', ContentLength: 100_000, ChecksumSHA256: sha256(smallBytes), Metadata: { 'audit-head': `head-of-${sample.input.sample}` } });
    expect(smallHead.SSEKMSKeyId).toContain(storageKeyId);
    const largeHead = await bucket.head(large!.key);
    expect(largeHead).toMatchObject({ ServerSideEncryption: 'aws:kms', ContentLength: 12 * mebibyte, ChecksumType: 'COMPOSITE' });
    expect(largeHead.SSEKMSKeyId).toContain(storageKeyId);
    // moto computes the composite from the parts it received; moto's HeadObject leaves off the "-3".
    expect(`${largeHead.ChecksumSHA256}-3`).toBe(expectedComposite(largeBytes, 5 * mebibyte));
    expect((await bucket.bytes(small!.key)).equals(smallBytes)).toBe(true);
    expect((await bucket.bytes(large!.key)).equals(largeBytes)).toBe(true);
    expect(await bucket.versions(small!.key)).toBe(1);
    expect(await bucket.versions(large!.key)).toBe(1);

    // What went over the wire: conditional, encrypted under the storage key, checksummed.
    const sent = proxy.requests.slice(first);
    expect(sent.map(s3Operation)).toEqual(['PutObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload', 'HeadObject']);
    const put = sent[0]!;
    expect(put.headers).toMatchObject({
      'if-none-match': '*',
      'x-amz-checksum-sha256': sha256(smallBytes),
      'x-amz-sdk-checksum-algorithm': 'SHA256',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': deployment.storageKeyArn,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
    });
    expect(put.body.equals(smallBytes)).toBe(true);
    expect(sent[1]!.headers).toMatchObject({
      'x-amz-checksum-algorithm': 'SHA256',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': deployment.storageKeyArn,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
    });
    expect(sent.slice(2, 5).map((r) => r.headers['x-amz-checksum-sha256'])).toEqual(
      [0, 1, 2].map((i) => sha256(largeBytes.subarray(i * 5 * mebibyte, (i + 1) * 5 * mebibyte))),
    );
    expect(sent[5]!.headers['if-none-match']).toBe('*');

    expect(progress.at(-1)).toEqual([100_000 + 12 * mebibyte, 100_000 + 12 * mebibyte]);
    expect(progress.length).toBeGreaterThan(10);
  });

  it('refuses to send an object sealed with the device key, and sends it once prepare has re-sealed it under KMS', async () => {
    let kmsReachable = false;
    const resealed = randomBytes(4000);
    const { outbox, uploader } = await uploaderFor({
      prepare: async (entry: OutboxEntry) => {
        if (!kmsReachable) throw new VoiceVaultError('KmsUnavailable', 'KMS cannot be reached.');
        await outbox.replaceObject(entry.sample, entry.objects[0]!.key, { ciphertext: resealed, sha256: sha256(resealed), sealedWith: 'kms' });
      },
    });
    const sample = sealedSample([3000]);
    sample.input.objects[0]!.sealedWith = 'device';
    await outbox.add(sample.input);
    const first = proxy.requests.length;

    const offline = await uploader.drain();
    expect(offline.remaining).toEqual([expect.objectContaining({ sample: sample.input.sample, state: 'waiting-for-network' })]);
    expect((await outbox.get(sample.input.sample)).lastError).toMatchObject({ code: 'KmsUnavailable' });
    expect(proxy.requests.length).toBe(first); // nothing left the machine

    kmsReachable = true;
    const online = await uploader.drain();
    expect(online.uploaded).toHaveLength(1);
    expect((await bucket.bytes(sample.input.objects[0]!.key)).equals(resealed)).toBe(true);
  });

  it('never sends a device-sealed object even when prepare leaves it so', async () => {
    const { outbox, uploader } = await uploaderFor({ prepare: async () => undefined });
    const sample = sealedSample([3000]);
    sample.input.objects[0]!.sealedWith = 'device';
    await outbox.add(sample.input);
    const first = proxy.requests.length;
    await expect(uploader.upload(sample.input.sample)).rejects.toMatchObject({ code: 'KmsUnavailable' });
    expect(proxy.requests.length).toBe(first);
    expect((await outbox.get(sample.input.sample)).state).toBe('waiting-for-network');
  });

  it('keeps the entry when onUploaded fails, and on retry finishes it without sending the objects again', async () => {
    let failHook = true;
    const hooked: string[] = [];
    const { outbox, uploader } = await uploaderFor({
      onUploaded: async (entry) => {
        if (failHook) throw new VoiceVaultError('DiskFull', 'The disk is full: the receipt could not be written.');
        hooked.push(entry.sample);
      },
    });
    const sample = sealedSample([2000, 3000]);
    await outbox.add(sample.input);
    await expect(uploader.upload(sample.input.sample)).rejects.toMatchObject({ code: 'DiskFull' });
    const kept = await outbox.get(sample.input.sample);
    expect(kept.state).toBe('failed');
    expect(kept.objects.map((o) => o.upload.status)).toEqual(['done', 'done']);
    expect((await uploader.drain()).uploaded).toEqual([]); // a failed entry waits for retry

    failHook = false;
    await uploader.retry(sample.input.sample);
    const before = proxy.requests.length;
    const { uploaded } = await uploader.drain();
    expect(uploaded.map((r) => r.sample)).toEqual([sample.input.sample]);
    expect(hooked).toEqual([sample.input.sample]);
    expect(proxy.requests.length).toBe(before); // nothing was sent twice
    expect(await outbox.has(sample.input.sample)).toBe(false);
  });

  it('does not take a key that already holds someone else’s object for its own upload', async () => {
    const { deployment, adminTarget } = emulator();
    const { outbox, uploader } = await uploaderFor();
    const sample = sealedSample([2000]);
    const admin = new S3Client(s3ClientConfig(adminTarget));
    await admin.send(new PutObjectCommand({ Bucket: deployment.bucket, Key: sample.input.objects[0]!.key, Body: 'an older object' }));
    admin.destroy();
    await outbox.add(sample.input);

    await expect(uploader.upload(sample.input.sample)).rejects.toMatchObject({ code: 'AlreadyExists' });
    expect((await outbox.get(sample.input.sample)).state).toBe('failed');
    expect((await bucket.bytes(sample.input.objects[0]!.key)).toString()).toBe('an older object');
  });

  it('does not upload an outbox file that no longer matches its sealed SHA-256', async () => {
    const { outbox, dir, uploader } = await uploaderFor();
    const sample = sealedSample([2000]);
    const entry = await outbox.add(sample.input);
    await writeFile(join(dir, 'entries', entry.sample, entry.objects[0]!.file), randomBytes(2000));
    const first = proxy.requests.length;
    await expect(uploader.upload(entry.sample)).rejects.toMatchObject({ code: 'IntegrityError' });
    expect(proxy.requests.length).toBe(first);
    expect((await outbox.get(entry.sample)).state).toBe('failed');
  });

  it('uploads a batch several entries at a time, each exactly once', async () => {
    const { outbox, uploader } = await uploaderFor({ concurrency: 3 });
    const samples = Array.from({ length: 7 }, () => sealedSample([20_000]));
    for (const sample of samples) await outbox.add(sample.input);
    const [a, b] = await Promise.all([uploader.drain(), uploader.drain()]); // a second drain at the same time shares the work
    expect(new Set([...a.uploaded, ...b.uploaded].map((r) => r.sample))).toEqual(new Set(samples.map((s) => s.input.sample)));
    expect([...a.remaining, ...b.remaining]).toEqual([]);
    for (const sample of samples) expect(await bucket.versions(sample.input.objects[0]!.key)).toBe(1);
    expect(await outbox.list()).toEqual([]);
  });

  it('refuses parts smaller than S3 allows', async () => {
    await expect(uploaderFor({ partSizeBytes: 1 * mebibyte })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});
