// The faults an upload must survive, each injected by the loopback proxy between the SDK and moto.
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conflictFault, internalErrorFault, startLoopbackProxy, type LoopbackProxy } from '../emulator/loopback-proxy';
import { useTestEmulator } from '../emulator/test-emulator';
import { Outbox } from '../outbox';
import { Uploader, type UploaderOptions } from './index';
import {
  Bucket,
  expectedComposite,
  mebibyte,
  partNumberOf,
  proxiedS3,
  recordingSleep,
  s3Operation,
  sealedSample,
  sha256,
  temporaryOutbox,
} from './upload-test-kit';

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

function uploaderOver(outbox: Outbox, options: Partial<UploaderOptions> = {}): Uploader {
  const { deployment } = emulator();
  return new Uploader({
    outbox,
    s3: proxiedS3(deployment, proxy, clients),
    bucket: deployment.bucket,
    storageKeyArn: deployment.storageKeyArn,
    multipartThresholdBytes: 8 * mebibyte,
    partSizeBytes: 5 * mebibyte,
    backoffBaseMs: 100,
    backoffCapMs: 2000,
    ...options,
  });
}

async function freshOutbox(): Promise<{ outbox: Outbox; dir: string }> {
  const { outbox, dir, cleanup } = await temporaryOutbox();
  cleanups.push(cleanup);
  return { outbox, dir };
}

/** Requests recorded from now on. */
function recordedFrom(index: number) {
  return () => proxy.requests.slice(index);
}

describe('uploads through a faulty network', () => {
  it('survive dropped connections, in a single put and in a part', async () => {
    const { outbox } = await freshOutbox();
    const { sleep, delays } = recordingSleep();
    const uploader = uploaderOver(outbox, { sleep, random: () => 0.5 });
    const sample = sealedSample([300_000, 11 * mebibyte]);
    await outbox.add(sample.input);
    let putDrops = 0;
    let partDrops = 0;
    proxy.setFault((request) => {
      const operation = s3Operation(request);
      if (operation === 'PutObject' && putDrops++ < 2) return { kind: 'drop', afterBytes: 100_000 };
      if (operation === 'UploadPart' && partNumberOf(request) === 2 && partDrops++ < 1) return { kind: 'drop', afterBytes: 2 * mebibyte };
      return undefined;
    });
    const sent = recordedFrom(proxy.requests.length);

    const { uploaded, remaining } = await uploader.drain();

    expect(remaining).toEqual([]);
    expect(uploaded).toHaveLength(1);
    expect(sent().filter((r) => r.fault === 'drop')).toHaveLength(3);
    // Backoff with full jitter: half of base · 2^(n-1) with random() = 0.5.
    expect(delays).toEqual([50, 100, 50]);
    for (const [key, bytes] of sample.bytes) {
      expect((await bucket.bytes(key)).equals(bytes)).toBe(true);
      expect(await bucket.versions(key)).toBe(1);
    }
  });

  it('retries HTTP 500s and 409 conflicts with growing, jittered pauses', async () => {
    const { outbox } = await freshOutbox();
    const { sleep, delays } = recordingSleep();
    const randoms = [0.9, 0.1, 0.99, 0.5];
    const uploader = uploaderOver(outbox, { sleep, random: () => randoms.shift() ?? 0 });
    const sample = sealedSample([50_000]);
    await outbox.add(sample.input);
    const faults = [internalErrorFault(), internalErrorFault(), conflictFault(), internalErrorFault()];
    proxy.setFault((request) => (request.service === 's3' ? faults.shift() : undefined));
    const sent = recordedFrom(proxy.requests.length);

    await uploader.upload(sample.input.sample);

    expect(sent().map((r) => r.status)).toEqual([500, 500, 409, 500, 200]);
    expect(delays).toEqual([Math.floor(0.9 * 100), Math.floor(0.1 * 200), Math.floor(0.99 * 400), Math.floor(0.5 * 800)]);
    const key = sample.input.objects[0]!.key;
    expect((await bucket.head(key)).ChecksumSHA256).toBe(sha256(sample.bytes.get(key)!));
    expect(await bucket.versions(key)).toBe(1);
  });

  it('gives up after the last attempt and keeps the entry waiting, with the reason', async () => {
    const { outbox } = await freshOutbox();
    const uploader = uploaderOver(outbox, { sleep: async () => undefined, maxAttempts: 3 });
    const sample = sealedSample([50_000]);
    await outbox.add(sample.input);
    proxy.setFault((request) => (request.service === 's3' ? internalErrorFault() : undefined));
    const sent = recordedFrom(proxy.requests.length);

    const { remaining } = await uploader.drain();

    expect(sent()).toHaveLength(3);
    expect(remaining).toEqual([expect.objectContaining({ sample: sample.input.sample, state: 'waiting-for-network' })]);
    const entry = await outbox.get(sample.input.sample);
    expect(entry).toMatchObject({ state: 'waiting-for-network', attempts: 1, lastError: { code: 'Internal', message: expect.stringContaining('HTTP 500') } });
  });

  it('waits for the network when S3 cannot be reached, and goes on when it is back', async () => {
    const { outbox } = await freshOutbox();
    const uploader = uploaderOver(outbox, { sleep: async () => undefined, maxAttempts: 2 });
    const sample = sealedSample([50_000]);
    await outbox.add(sample.input);
    proxy.setFault(() => ({ kind: 'refuse' }));

    const offline = await uploader.drain();
    expect(offline.remaining.map((r) => [r.state, r.error.code])).toEqual([['waiting-for-network', 'NetworkUnavailable']]);
    expect((await outbox.get(sample.input.sample)).lastError?.message).toMatch(/network is unavailable/);

    proxy.setFault(undefined);
    const online = await uploader.drain();
    expect(online.uploaded.map((r) => r.sample)).toEqual([sample.input.sample]);
    expect(await bucket.versions(sample.input.objects[0]!.key)).toBe(1);
  });

  it('restarts a part that stalls mid-upload (watchdog) and stores the whole object', async () => {
    const { outbox } = await freshOutbox();
    const uploader = uploaderOver(outbox, { sleep: async () => undefined, stallTimeoutMs: 1500 });
    const sample = sealedSample([12 * mebibyte]);
    await outbox.add(sample.input);
    let stalls = 0;
    proxy.setFault((request) => (s3Operation(request) === 'UploadPart' && partNumberOf(request) === 2 && stalls++ === 0 ? { kind: 'stall', afterBytes: mebibyte } : undefined));
    const sent = recordedFrom(proxy.requests.length);

    const started = performance.now();
    await uploader.upload(sample.input.sample);

    expect(performance.now() - started).toBeGreaterThanOrEqual(1500);
    expect(sent().map((r) => `${s3Operation(r)}${partNumberOf(r) ?? ''}`)).toEqual([
      'CreateMultipartUpload',
      'UploadPart1',
      'UploadPart2', // stalled after 1 MiB, aborted by the watchdog
      'UploadPart2',
      'UploadPart3',
      'CompleteMultipartUpload',
      'HeadObject',
    ]);
    const [key, bytes] = [...sample.bytes][0]!;
    expect((await bucket.bytes(key)).equals(bytes)).toBe(true);
    expect(`${(await bucket.head(key)).ChecksumSHA256}-3`).toBe(expectedComposite(bytes, 5 * mebibyte));
    expect(await bucket.versions(key)).toBe(1);
  });

  it('resumes a multipart upload from the outbox in a new uploader, sending only the missing parts', async () => {
    const { outbox, dir } = await freshOutbox();
    const sample = sealedSample([13 * mebibyte]);
    await outbox.add(sample.input);
    proxy.setFault((request) => (s3Operation(request) === 'UploadPart' && partNumberOf(request)! >= 2 ? { kind: 'drop', afterBytes: 3 * mebibyte } : undefined));
    const firstRun = uploaderOver(outbox, { sleep: async () => undefined, maxAttempts: 2 });
    const stopped = await firstRun.drain();
    expect(stopped.remaining.map((r) => r.state)).toEqual(['waiting-for-network']);
    const saved = (await outbox.get(sample.input.sample)).objects[0]!.upload.multipart!;
    expect(saved.parts.map((p) => p.partNumber)).toEqual([1]);

    // A new process: the outbox opened again from disk, a new uploader, the network healthy.
    proxy.setFault(undefined);
    const reopened = await Outbox.open(dir);
    const sent = recordedFrom(proxy.requests.length);
    await uploaderOver(reopened, { sleep: async () => undefined }).upload(sample.input.sample);

    expect(sent().map((r) => `${s3Operation(r)}${partNumberOf(r) ?? ''}`)).toEqual(['ListParts', 'UploadPart2', 'UploadPart3', 'CompleteMultipartUpload', 'HeadObject']);
    expect(sent()[0]!.path).toContain(`uploadId=${encodeURIComponent(saved.uploadId)}`);
    const [key, bytes] = [...sample.bytes][0]!;
    expect((await bucket.bytes(key)).equals(bytes)).toBe(true);
    expect(`${(await bucket.head(key)).ChecksumSHA256}-3`).toBe(expectedComposite(bytes, 5 * mebibyte));
    expect(await bucket.versions(key)).toBe(1);
    expect(await reopened.has(sample.input.sample)).toBe(false);
  });

  it('counts a 412 on a retried put as done when S3 holds our bytes (the first answer was lost)', async () => {
    const { outbox } = await freshOutbox();
    const uploader = uploaderOver(outbox, { sleep: async () => undefined });
    const sample = sealedSample([40_000]);
    await outbox.add(sample.input);
    let lost = 0;
    proxy.setFault((request) => (s3Operation(request) === 'PutObject' && lost++ === 0 ? { kind: 'lose-response' } : undefined));
    const sent = recordedFrom(proxy.requests.length);

    const receipt = await uploader.upload(sample.input.sample);

    expect(sent().map((r) => [s3Operation(r), r.upstreamStatus, r.status])).toEqual([
      ['PutObject', 200, undefined], // moto stored it; the client never heard
      ['PutObject', 412, 412],
      ['HeadObject', 200, 200],
    ]);
    const key = sample.input.objects[0]!.key;
    expect(receipt.objects[0]).toMatchObject({ key, confirmedBy: 'head-object', s3Checksum: sha256(sample.bytes.get(key)!) });
    expect(await bucket.versions(key)).toBe(1);
  });

  it('counts a 412 as done after a restart when the earlier process had sent the object', async () => {
    const { outbox, dir } = await freshOutbox();
    const sample = sealedSample([40_000]);
    await outbox.add(sample.input);
    proxy.setFault((request) => (s3Operation(request) === 'PutObject' ? { kind: 'lose-response' } : undefined));
    await expect(uploaderOver(outbox, { sleep: async () => undefined, maxAttempts: 1 }).upload(sample.input.sample)).rejects.toMatchObject({
      code: 'NetworkUnavailable',
    });
    proxy.setFault(undefined);
    const receipt = await uploaderOver(await Outbox.open(dir), { sleep: async () => undefined }).upload(sample.input.sample);
    expect(receipt.objects[0]?.confirmedBy).toBe('head-object');
    expect(await bucket.versions(sample.input.objects[0]!.key)).toBe(1);
  });

  it('finishes a multipart upload whose completion answer was lost', async () => {
    const { outbox } = await freshOutbox();
    const uploader = uploaderOver(outbox, { sleep: async () => undefined });
    const sample = sealedSample([11 * mebibyte]);
    await outbox.add(sample.input);
    let lost = 0;
    proxy.setFault((request) => (s3Operation(request) === 'CompleteMultipartUpload' && lost++ === 0 ? { kind: 'lose-response' } : undefined));

    await uploader.upload(sample.input.sample);

    const [key, bytes] = [...sample.bytes][0]!;
    expect((await bucket.bytes(key)).equals(bytes)).toBe(true);
    expect(await bucket.versions(key)).toBe(1);
  });

  it('stops an upload in flight when the uploader is stopped, keeping the entry for the next one', async () => {
    const { outbox, dir } = await freshOutbox();
    const uploader = uploaderOver(outbox, { stallTimeoutMs: 60_000 });
    const sample = sealedSample([200_000]);
    await outbox.add(sample.input);
    proxy.setFault((request) => (s3Operation(request) === 'PutObject' ? { kind: 'stall', afterBytes: 0 } : undefined));
    const first = proxy.requests.length;
    const upload = uploader.upload(sample.input.sample);
    while (!proxy.requests.slice(first).some((r) => r.fault === 'stall')) await new Promise((resolve) => setTimeout(resolve, 20));

    const stoppedAt = performance.now();
    uploader.stop();
    await expect(upload).rejects.toMatchObject({ message: expect.stringMatching(/stopped/) });
    expect(performance.now() - stoppedAt).toBeLessThan(2000);
    const kept = await outbox.get(sample.input.sample);
    expect(kept.state).toBe('sealed');
    expect(kept.lastError).toBeUndefined();
    await expect(uploader.upload(sample.input.sample)).rejects.toMatchObject({ message: expect.stringMatching(/stopped/) });

    proxy.setFault(undefined);
    await uploaderOver(await Outbox.open(dir)).upload(sample.input.sample);
    expect(await bucket.versions(sample.input.objects[0]!.key)).toBe(1);
  });
});
