import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { contractorPrefix } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { deploymentTarget } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { MemorySecretStore } from '../secrets';
import { UserPoolSession, UserPoolSignIn, createIdentityServices } from '../identity';
import { putObjectOnce, sha256Base64 } from './put-once';

const emulator = useTestEmulator();

function identity(deployment = emulator().deployment) {
  return createIdentityServices({ deployment, secretStore: new MemorySecretStore() });
}

function demoUser(name: string) {
  const user = emulator().deployment.demoUsers.find((u) => u.username === name);
  if (!user) throw new Error(`no demo user ${name}`);
  return user;
}

describe('a contractor upload through Cognito credentials (moto)', () => {
  it('signs ada in, gets scoped credentials and stores one SSE-KMS object with a checksum, refusing a second put', async () => {
    const { deployment, adminTarget } = emulator();
    const ada = demoUser('ada');

    const services = identity();
    const progress = await new UserPoolSignIn(services).start(ada.username, ada.password);
    if (progress.step !== 'tokens') throw new Error(`unexpected sign-in step ${progress.step}`);
    const session = await UserPoolSession.start(services, progress.tokens);
    const { claims } = session;
    expect(claims.partition).toBe('demo');
    expect(claims.sub).toMatch(/[0-9a-f-]{36}/);

    const first = await session.credentials();
    expect(first.sessionToken?.length).toBeGreaterThan(0);
    expect(first.expiration?.getTime()).toBeGreaterThan(Date.now());
    expect(await session.credentials()).toBe(first); // cached until close to expiry

    const s3 = new S3Client({ ...s3ClientConfig(deploymentTarget(deployment)), credentials: session.credentials });
    const key = `${contractorPrefix('raw', claims.partition ?? '', claims.sub)}01JTESTSAMPLE0000000000000.sealed`;
    const body = new TextEncoder().encode('sealed bytes stand-in: this test is about the transport');

    const receipt = await putObjectOnce(s3, { bucket: deployment.bucket, key, body, storageKeyArn: deployment.storageKeyArn });
    expect(receipt.sha256Base64).toBe(sha256Base64(body));

    const admin = new S3Client(s3ClientConfig(adminTarget));
    const head = await admin.send(new HeadObjectCommand({ Bucket: deployment.bucket, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain(deployment.storageKeyArn.split('/').pop());
    expect(head.ChecksumSHA256).toBe(receipt.sha256Base64);
    expect(head.ContentLength).toBe(body.length);
    const stored = await admin.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(Buffer.from(body));

    const again = putObjectOnce(s3, { bucket: deployment.bucket, key, body, storageKeyArn: deployment.storageKeyArn });
    await expect(again).rejects.toBeInstanceOf(VoiceVaultError);
    await expect(again).rejects.toMatchObject({ code: 'AlreadyExists' });

    const versions = await admin.send(new ListObjectVersionsCommand({ Bucket: deployment.bucket, Prefix: key }));
    expect(versions.Versions).toHaveLength(1); // the refused retry made no second version
    s3.destroy();
    admin.destroy();
  });

  it('refuses a wrong password in plain words', async () => {
    const { deployment } = emulator();
    const attempt = new UserPoolSignIn(identity(deployment)).start('ada', 'not-her-password-1!A');
    await expect(attempt).rejects.toMatchObject({ code: 'WrongPassword', message: expect.stringContaining('user name or password is wrong') });
  });

  it('says the network is unavailable when the endpoint does not answer', async () => {
    const { deployment } = emulator();
    const offline = { ...deployment, endpoint: 'http://127.0.0.1:9' };
    await expect(new UserPoolSignIn(identity(offline)).start('ada', demoUser('ada').password)).rejects.toMatchObject({ code: 'NetworkUnavailable' });
  });
});
