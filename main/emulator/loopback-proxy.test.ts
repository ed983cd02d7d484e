import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emulatorCredentials } from '../aws/target';
import { accessKeyOf, expiredTokenFault, internalErrorFault, startLoopbackProxy, type LoopbackProxy } from './loopback-proxy';
import { startMotoServer, type MotoServer } from './moto-server';

const region = 'eu-central-1';
const bucket = 'proxy-test-bucket';
let moto: MotoServer;
let proxy: LoopbackProxy;

function s3(endpoint: string): S3Client {
  return new S3Client({ region, endpoint, forcePathStyle: true, credentials: emulatorCredentials, maxAttempts: 1 });
}

beforeAll(async () => {
  moto = await startMotoServer();
  const admin = s3(moto.endpoint);
  await admin.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region } }));
  admin.destroy();
});

afterAll(async () => {
  await moto?.stop();
});

afterEach(async () => {
  await proxy?.close();
});

async function exists(key: string): Promise<boolean> {
  const admin = s3(moto.endpoint);
  try {
    await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  } finally {
    admin.destroy();
  }
}

describe('the loopback proxy', () => {
  it('forwards S3 and KMS calls to the emulator and records service, method, path, headers and body', async () => {
    proxy = await startLoopbackProxy({ target: moto.endpoint });
    const client = s3(proxy.url);
    const body = randomBytes(3000);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'recorded/one', Body: body }));
    const kms = new KMSClient({ region, endpoint: proxy.url, credentials: emulatorCredentials, maxAttempts: 1 });
    await kms.send(new CreateKeyCommand({ Description: 'proxy test' }));

    expect(proxy.requests).toHaveLength(2);
    const [put, createKey] = proxy.requests;
    expect(put).toMatchObject({ index: 0, service: 's3', method: 'PUT', path: `/${bucket}/recorded/one?x-id=PutObject`, status: 200 });
    expect(put!.body.equals(body)).toBe(true);
    expect(accessKeyOf(put!.headers)).toBe(emulatorCredentials.accessKeyId);
    expect(createKey).toMatchObject({ index: 1, service: 'kms', method: 'POST', status: 200 });
    expect(createKey!.headers['x-amz-target']).toBe('TrentService.CreateKey');
    expect(JSON.parse(createKey!.body.toString('utf8'))).toEqual({ Description: 'proxy test' });
    expect(await exists('recorded/one')).toBe(true);
    client.destroy();
    kms.destroy();
  });

  it('resets the connection after the given number of body bytes and forwards nothing', async () => {
    proxy = await startLoopbackProxy({ target: moto.endpoint, fault: () => ({ kind: 'drop', afterBytes: 1000 }) });
    const client = s3(proxy.url);
    const attempt = client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dropped', Body: randomBytes(200_000) }));
    await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(proxy.requests[0]).toMatchObject({ fault: 'drop' });
    expect(proxy.requests[0]!.body.length).toBe(1000);
    expect(proxy.requests[0]!.status).toBeUndefined();
    expect(await exists('dropped')).toBe(false);
    client.destroy();
  });

  it('refuses a request on its head', async () => {
    proxy = await startLoopbackProxy({ target: moto.endpoint, fault: () => ({ kind: 'refuse' }) });
    const client = s3(proxy.url);
    await expect(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused', Body: 'x' }))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(await exists('refused')).toBe(false);
    client.destroy();
  });

  it('answers with an injected status instead of forwarding: a 500, then an expired token', async () => {
    const faults = [internalErrorFault(), expiredTokenFault()];
    proxy = await startLoopbackProxy({ target: moto.endpoint, fault: () => faults.shift() });
    const client = s3(proxy.url);
    await expect(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'status', Body: 'x' }))).rejects.toMatchObject({
      name: 'InternalError',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'status', Body: 'x' }))).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await exists('status')).toBe(false);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'status', Body: 'x' })); // no fault left: forwarded
    expect(proxy.requests.map((r) => r.status)).toEqual([500, 400, 200]);
    client.destroy();
  });

  it('stalls mid-body for the given time, then carries on', async () => {
    proxy = await startLoopbackProxy({ target: moto.endpoint, fault: () => ({ kind: 'stall', afterBytes: 64 * 1024, ms: 700 }) });
    const client = s3(proxy.url);
    const started = performance.now();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'slow', Body: randomBytes(8 * 1024 * 1024) }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(650);
    expect(proxy.requests[0]!.body.length).toBe(8 * 1024 * 1024);
    expect(await exists('slow')).toBe(true);
    client.destroy();
  });

  it('stalls until the client gives up when no time is given', async () => {
    proxy = await startLoopbackProxy({ target: moto.endpoint, fault: () => ({ kind: 'stall', afterBytes: 0 }) });
    const client = s3(proxy.url);
    const attempt = client.send(new PutObjectCommand({ Bucket: bucket, Key: 'stalled', Body: randomBytes(10_000) }), {
      abortSignal: AbortSignal.timeout(500),
    });
    await expect(attempt).rejects.toMatchObject({ name: 'AbortError' });
    expect(await exists('stalled')).toBe(false);
    client.destroy();
  });

  it('loses the response of a request the emulator carried out', async () => {
    proxy = await startLoopbackProxy({ target: moto.endpoint, fault: () => ({ kind: 'lose-response' }) });
    const client = s3(proxy.url);
    await expect(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'lost-answer', Body: 'x' }))).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(proxy.requests[0]).toMatchObject({ fault: 'lose-response', upstreamStatus: 200 });
    expect(proxy.requests[0]!.status).toBeUndefined();
    expect(await exists('lost-answer')).toBe(true);
    client.destroy();
  });

  it('forwards only to loopback', async () => {
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- the point: a remote target is refused
    await expect(startLoopbackProxy({ target: 'http://example.com:80' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(startLoopbackProxy({ target: 'https://127.0.0.1:443' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});
