// Credentials that expire in the middle of a batch: the proxy answers ExpiredToken to every S3
// request from a given moment until the identity pool has been asked for new credentials. (moto
// hands out the same access key every time, so "the old key" is told apart by time, not by name.)
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contractorPrefix } from '../../shared/config';
import type { Deployment } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { expiredTokenFault, startLoopbackProxy, type LoopbackProxy, type ProxiedRequest } from '../emulator/loopback-proxy';
import { useTestEmulator } from '../emulator/test-emulator';
import { ContractorCredentials, UserPoolSignIn, createIdentityServices, readIdTokenClaims, type IdentityServices } from '../identity';
import { MemorySecretStore } from '../secrets';
import { Uploader } from './index';
import { Bucket, s3Operation, sealedSample, temporaryOutbox } from './upload-test-kit';

const emulator = useTestEmulator();
let proxy: LoopbackProxy;
let bucket: Bucket;
let identity: IdentityServices;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  proxy = await startLoopbackProxy({ target: emulator().deployment.endpoint! });
  bucket = new Bucket(emulator().adminTarget, emulator().deployment.bucket);
});

afterEach(async () => {
  proxy.setFault(undefined);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

afterAll(async () => {
  bucket?.close();
  await proxy?.close();
});

const isCredentialFetch = (request: ProxiedRequest) => request.headers['x-amz-target'] === 'AWSCognitoIdentityService.GetCredentialsForIdentity';

/** ada signed in through the proxy, with identity-pool credentials and an S3 client that uses them. */
async function signedInAda() {
  const deployment: Deployment = { ...emulator().deployment, endpoint: proxy.url };
  identity = createIdentityServices({ deployment, secretStore: new MemorySecretStore() });
  const password = deployment.demoUsers.find((u) => u.username === 'ada')!.password;
  const progress = await new UserPoolSignIn(identity).start('ada', password, 'USER_PASSWORD_AUTH');
  if (progress.step !== 'tokens') throw new Error(`unexpected sign-in step ${progress.step}`);
  const { idToken } = progress.tokens;
  const claims = readIdTokenClaims(idToken);
  const credentials = new ContractorCredentials(deployment, identity.identityPool, () => idToken);
  const s3 = new S3Client({ ...s3ClientConfig({ region: deployment.region, endpoint: proxy.url }), credentials: credentials.provider(), maxAttempts: 1 });
  cleanups.push(() => {
    s3.destroy();
    identity.userPool.destroy();
    identity.identityPool.destroy();
  });
  return { deployment, credentials, s3, prefix: contractorPrefix('features', claims.partition ?? '', claims.sub) };
}

async function queueBatch(prefix: string, count: number) {
  const { outbox, cleanup } = await temporaryOutbox();
  cleanups.push(cleanup);
  const samples = Array.from({ length: count }, () => {
    const sample = sealedSample([30_000]);
    const object = sample.input.objects[0]!;
    const key = `${prefix}${sample.input.sample}.sealed`;
    sample.bytes.set(key, sample.bytes.get(object.key)!);
    object.key = key;
    return sample;
  });
  for (const sample of samples) await outbox.add(sample.input);
  return { outbox, samples };
}

/** From the third put on, S3 says the token expired, until new credentials have been fetched. */
function expireAtThirdPut(): { refreshes: () => number } {
  let puts = 0;
  let expired = false;
  let refreshes = 0;
  proxy.setFault((request) => {
    if (isCredentialFetch(request)) {
      if (expired) refreshes += 1;
      expired = false;
      return undefined;
    }
    if (request.service !== 's3') return undefined;
    if (s3Operation(request) === 'PutObject' && ++puts === 3) expired = true;
    return expired ? expiredTokenFault() : undefined;
  });
  return { refreshes: () => refreshes };
}

describe('credentials expiring mid-batch', () => {
  it('are refreshed through onCredentialsExpired and the batch completes, each object once', async () => {
    const { deployment, credentials, s3, prefix } = await signedInAda();
    const { outbox, samples } = await queueBatch(prefix, 6);
    let expiredCalls = 0;
    const uploader = new Uploader({
      outbox,
      s3: () => s3,
      bucket: deployment.bucket,
      storageKeyArn: deployment.storageKeyArn,
      concurrency: 1,
      sleep: async () => undefined,
      onCredentialsExpired: () => {
        expiredCalls += 1;
        credentials.invalidate();
      },
    });
    const { refreshes } = expireAtThirdPut();
    const first = proxy.requests.length;

    const { uploaded, remaining } = await uploader.drain();

    expect(remaining).toEqual([]);
    expect(uploaded).toHaveLength(6);
    expect(expiredCalls).toBe(1);
    expect(refreshes()).toBe(1);
    const sent = proxy.requests.slice(first);
    expect(sent.filter((r) => r.status === 400).map(s3Operation)).toEqual(['PutObject']);
    // Every S3 request was signed with the identity pool's session credentials.
    for (const request of sent.filter((r) => r.service === 's3')) expect(request.headers['x-amz-security-token']).toBeTruthy();
    for (const sample of samples) {
      const key = sample.input.objects[0]!.key;
      expect((await bucket.bytes(key)).equals(sample.bytes.get(key)!)).toBe(true);
      expect(await bucket.versions(key)).toBe(1);
    }
  });

  it('without a way to refresh them, the rest of the batch waits for the next sign-in, nothing lost', async () => {
    const { deployment, s3, prefix } = await signedInAda();
    const { outbox, samples } = await queueBatch(prefix, 4);
    const uploader = new Uploader({ outbox, s3: () => s3, bucket: deployment.bucket, storageKeyArn: deployment.storageKeyArn, concurrency: 1, sleep: async () => undefined });
    expireAtThirdPut();

    const { uploaded, remaining } = await uploader.drain();

    expect(uploaded).toHaveLength(2);
    expect(remaining.map((r) => [r.state, r.error.code])).toEqual([
      ['sealed', 'CredentialsExpired'],
      ['sealed', 'CredentialsExpired'],
    ]);
    const uploadedSamples = new Set(uploaded.map((r) => r.sample));
    const notUploaded = samples.map((s) => s.input.sample).filter((s) => !uploadedSamples.has(s));
    expect((await outbox.list()).map((e) => e.sample).sort()).toEqual(notUploaded.sort());
    expect(remaining.map((r) => r.sample).sort()).toEqual(notUploaded.sort());
  });
});
