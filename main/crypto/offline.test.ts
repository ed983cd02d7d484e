// Offline sealing against a real moto server: KMS out of reach is a closed loopback port.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KMS } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { FileSecretStore, MemorySecretStore } from '../secrets';
import { createOpener, createSealer, readSealedHeader, type SealContext } from '.';

const emulator = useTestEmulator();

const contractor = 'c0ffee00-1234-4abc-8def-0123456789ab';
const rawContext: SealContext = { app: 'voicevault', kind: 'raw', partition: 'demo', contractor, sample: '01JZOFFLINE0000000000000001' };
const manifestContext: SealContext = { app: 'voicevault', kind: 'manifest', partition: 'demo', contractor, sample: '01JZOFFLINE0000000000000001', consent: 'v1' };

/** A loopback port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let online: KMS;
let offline: KMS;
let directory: string;

beforeAll(async () => {
  const { adminTarget } = emulator();
  online = new KMS(clientConfig(adminTarget));
  offline = new KMS({ ...clientConfig(adminTarget), endpoint: `http://127.0.0.1:${await closedPort()}` });
  directory = await mkdtemp(join(tmpdir(), 'voicevault-device-key-'));
});
afterAll(async () => {
  online.destroy();
  offline.destroy();
  await rm(directory, { recursive: true, force: true });
});

describe('sealing while KMS is unreachable (moto)', () => {
  it('seals under the device key, then re-seals under KMS once KMS answers, and the result opens with KMS', async () => {
    const { deployment } = emulator();
    const store = new MemorySecretStore();
    const plaintext = randomBytes(1.5 * 1024 * 1024);

    const offlineSealer = createSealer({ kms: offline, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: store });
    const local = await offlineSealer.seal(plaintext, rawContext);
    expect(local.sealedWith).toBe('device');
    expect(local.key).toBe(`raw/demo/${contractor}/01JZOFFLINE0000000000000001.sealed`);
    const localHeader = readSealedHeader(local.ciphertext);
    expect(localHeader.suiteId).toBe(0x0578);
    expect(localHeader.frameLength).toBe(1048576);
    expect(localHeader.encryptedDataKeys).toHaveLength(1);
    expect(localHeader.encryptedDataKeys[0]!.providerId).toBe('voicevault-device');
    expect(localHeader.encryptedDataKeys[0]!.providerInfo.startsWith(contractor)).toBe(true);
    const { 'aws-crypto-public-key': _publicKey, ...context } = localHeader.encryptionContext;
    expect(context).toEqual({ app: 'voicevault', kind: 'raw', partition: 'demo', contractor, sample: '01JZOFFLINE0000000000000001' });

    const opener = createOpener({ kms: online, envelopeKeyArn: deployment.envelopeKeyArn });
    await expect(opener.open(local.ciphertext, local.key)).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining('device key') });

    const onlineSealer = createSealer({ kms: online, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: store });
    const resealed = await onlineSealer.reseal(local.ciphertext, rawContext);
    expect(resealed.sealedWith).toBe('kms');
    expect(resealed.key).toBe(local.key);
    expect(readSealedHeader(resealed.ciphertext).encryptedDataKeys).toEqual([{ providerId: 'aws-kms', providerInfo: deployment.envelopeKeyArn }]);
    const opened = await opener.open(resealed.ciphertext, resealed.key);
    expect(Buffer.from(opened.plaintext).equals(plaintext)).toBe(true);
  });

  it('says KMS is unavailable, and keeps the device-sealed take, when re-sealing while still offline', async () => {
    const { deployment } = emulator();
    const store = new MemorySecretStore();
    const sealer = createSealer({ kms: offline, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: store });
    const local = await sealer.seal(Buffer.from('{"manifest":true}'), manifestContext);
    await expect(sealer.reseal(local.ciphertext, manifestContext)).rejects.toMatchObject({ code: 'KmsUnavailable', message: expect.stringContaining('cannot be reached') });
    expect(Buffer.from(await sealer.openDeviceSealed(local.ciphertext, manifestContext)).toString()).toBe('{"manifest":true}');
  });

  it('refuses to seal offline without a secret store for the device key', async () => {
    const sealer = createSealer({ kms: offline, envelopeKeyArn: emulator().deployment.envelopeKeyArn });
    await expect(sealer.seal(Buffer.from('take'), rawContext)).rejects.toMatchObject({ code: 'KmsUnavailable' });
  });

  it('re-seals only for the context it was sealed with', async () => {
    const { deployment } = emulator();
    const store = new MemorySecretStore();
    const local = await createSealer({ kms: offline, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: store }).seal(Buffer.from('take'), rawContext);
    const sealer = createSealer({ kms: online, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: store });
    await expect(sealer.reseal(local.ciphertext, { ...rawContext, sample: '01JZOFFLINE0000000000000002' })).rejects.toMatchObject({ code: 'ContextMismatch' });
    await expect(sealer.reseal(local.ciphertext, { ...rawContext, consent: 'v1' })).rejects.toMatchObject({ code: 'ContextMismatch' });
    // Another contractor's keyring name does not even match the data key.
    await expect(sealer.reseal(local.ciphertext, { ...rawContext, contractor: 'someone-else' })).rejects.toMatchObject({ code: 'IntegrityError' });
  });

  it('refuses to re-seal what KMS sealed', async () => {
    const { deployment } = emulator();
    const sealer = createSealer({ kms: online, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: new MemorySecretStore() });
    const sealed = await sealer.seal(Buffer.from('take'), rawContext);
    await expect(sealer.reseal(sealed.ciphertext, rawContext)).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('makes one device key for takes sealed at the same time, and a device key from another store opens nothing', async () => {
    const { deployment } = emulator();
    const store = new MemorySecretStore();
    let keysWritten = 0;
    const counting = Object.assign(Object.create(store) as MemorySecretStore, {
      set: async (name: string, value: Uint8Array) => {
        keysWritten += 1;
        await store.set(name, value);
      },
    });
    const sealer = createSealer({ kms: offline, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: counting });
    const takes = await Promise.all([1, 2, 3, 4].map((n) => sealer.seal(Buffer.from(`take ${n}`), { ...rawContext, sample: `01JZCONCURRENT00000000000${n}` })));
    expect(keysWritten).toBe(1);
    for (const [index, take] of takes.entries()) {
      expect(take.sealedWith).toBe('device');
      expect(Buffer.from(await sealer.openDeviceSealed(take.ciphertext, take.context)).toString()).toBe(`take ${index + 1}`);
    }

    const strangerStore = new MemorySecretStore();
    await createSealer({ kms: offline, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: strangerStore }).seal(Buffer.from('x'), rawContext);
    const stranger = createSealer({ kms: online, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: strangerStore });
    await expect(stranger.reseal(takes[0]!.ciphertext, takes[0]!.context)).rejects.toMatchObject({ code: 'IntegrityError' });
  });

  it('keeps the device key in the secret store only: not in the sealed bytes, the result or any other file', async () => {
    const { deployment } = emulator();
    const store = new FileSecretStore(join(directory, 'secrets'));
    const sealer = createSealer({ kms: offline, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: store });
    const sealed = await sealer.seal(randomBytes(64 * 1024), rawContext);

    const key = await store.get('device-sealing-key');
    expect(key).toHaveLength(32);
    const deviceKey = Buffer.from(key!);
    expect(Buffer.from(sealed.ciphertext).includes(deviceKey)).toBe(false);
    expect(JSON.stringify(sealed)).not.toContain(deviceKey.toString('base64'));
    expect(JSON.stringify(sealed)).not.toContain(deviceKey.toString('hex'));
    expect(Object.keys(sealed).sort()).toEqual(['ciphertext', 'context', 'key', 'sealedWith', 'sha256']);
    expect(Object.keys(sealer).sort()).toEqual(['openDeviceSealed', 'reseal', 'seal']);
    // The store's folder holds the wrapped secret and its wrapping key; neither file holds the key in the clear.
    const files = await readdir(join(directory, 'secrets'));
    expect(files.sort()).toEqual(['device-sealing-key.secret', 'wrapping.key']);
    for (const file of files) expect((await readFile(join(directory, 'secrets', file))).includes(deviceKey)).toBe(false);
    // Nothing else was written beside the store.
    expect(await readdir(directory)).toEqual(['secrets']);

    // A later sealer on the same store uses the same key.
    const later = createSealer({ kms: online, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: new FileSecretStore(join(directory, 'secrets')) });
    const resealed = await later.reseal(sealed.ciphertext, rawContext);
    expect(resealed.sealedWith).toBe('kms');
  });
});
