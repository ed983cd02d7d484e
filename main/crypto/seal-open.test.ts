// Sealing and opening against a real moto server: the envelope key from the provisioned deployment.
import { createHash, randomBytes } from 'node:crypto';
import { buildClient, CommitmentPolicy, KmsKeyringNode, AlgorithmSuiteIdentifier } from '@aws-crypto/client-node';
import { CreateKeyCommand, KMS } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { createOpener, createSealer, encryptionContextOf, objectKeyFor, readSealedHeader, type SealContext } from '.';

const emulator = useTestEmulator();

const contractor = '7d2a4c1e-9b3f-4a6d-8e5c-2f1b0a9d8c7e';
const featuresContext: SealContext = {
  app: 'voicevault',
  kind: 'features',
  partition: 'demo',
  contractor,
  sample: '01JZ3K8Q4M2N6P7R9S0T1V2W3X',
  preset: 'speech16k',
  consent: '2025-01',
  policy: createHash('sha256').update('{"id":"demo"}').digest('hex'),
};

let kms: KMS;
let otherKeyArn: string;

beforeAll(async () => {
  kms = new KMS(clientConfig(emulator().adminTarget));
  const created = await kms.send(new CreateKeyCommand({ Description: 'not the envelope key' }));
  otherKeyArn = created.KeyMetadata!.Arn!;
});
afterAll(() => kms.destroy());

function flipBit(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at]! ^= 0x01;
  return copy;
}

describe('sealing under the envelope key (moto)', () => {
  it('round-trips a multi-frame object and returns the ciphertext SHA-256', async () => {
    const { deployment } = emulator();
    const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    const plaintext = randomBytes(2.5 * 1024 * 1024);

    const sealed = await sealer.seal(plaintext, featuresContext);
    expect(sealed.sealedWith).toBe('kms');
    expect(sealed.key).toBe(`features/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.speech16k.sealed`);
    expect(sealed.sha256).toBe(createHash('sha256').update(sealed.ciphertext).digest('base64'));
    expect(Buffer.from(sealed.ciphertext).includes(plaintext.subarray(1000, 1032))).toBe(false);

    const opener = createOpener({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    const opened = await opener.open(sealed.ciphertext, sealed.key, { consent: '2025-01', policy: featuresContext.policy });
    expect(Buffer.from(opened.plaintext).equals(plaintext)).toBe(true);
    expect(opened.context).toEqual(featuresContext);
  });

  it('writes a header with exactly the context, the signing suite, one data key naming the envelope key ARN and 1 MiB frames', async () => {
    const { deployment } = emulator();
    const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    const rawContext: SealContext = { app: 'voicevault', kind: 'raw', partition: 'demo', contractor, sample: 'S-raw-1' };
    const sealed = await sealer.seal(randomBytes(4096), rawContext);

    const header = readSealedHeader(sealed.ciphertext);
    expect(header.suiteId).toBe(0x0578);
    expect(header.messageFormatVersion).toBe(2);
    expect(header.frameLength).toBe(1048576);
    expect(header.encryptedDataKeys).toEqual([{ providerId: 'aws-kms', providerInfo: deployment.envelopeKeyArn }]);
    const { 'aws-crypto-public-key': publicKey, ...context } = header.encryptionContext;
    expect(context).toEqual({ app: 'voicevault', kind: 'raw', partition: 'demo', contractor, sample: 'S-raw-1' });
    // The signing suite's ECDSA P-384 public key: 49 bytes compressed, base64.
    expect(Buffer.from(publicKey!, 'base64')).toHaveLength(49);
  });

  it.each([
    ['an alias', 'alias/voicevault-envelope'],
    ['an alias ARN', 'arn:aws:kms:eu-central-1:123456789012:alias/voicevault-envelope'],
    ['a bare key id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
  ])('refuses %s as the envelope key', (_name, envelopeKeyArn) => {
    expect(() => createSealer({ kms, envelopeKeyArn })).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining('not an alias') }));
    expect(() => createOpener({ kms, envelopeKeyArn })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });

  it('refuses a context it cannot turn into a key before calling KMS', async () => {
    const { deployment } = emulator();
    const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    await expect(sealer.seal(new Uint8Array(8), { ...featuresContext, sample: '../escape' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('opening refuses what is not exactly what was sealed (moto)', () => {
  let sealed: Awaited<ReturnType<ReturnType<typeof createSealer>['seal']>>;

  beforeAll(async () => {
    const sealer = createSealer({ kms, envelopeKeyArn: emulator().deployment.envelopeKeyArn });
    // Three frames, so there are body bytes well away from header and signature.
    sealed = await sealer.seal(randomBytes(3 * 1024 * 1024 - 100), featuresContext);
  });

  const opener = () => createOpener({ kms, envelopeKeyArn: emulator().deployment.envelopeKeyArn });

  it.each([
    ['another sample', `features/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3Y.speech16k.sealed`, /sample "01JZ3K8Q4M2N6P7R9S0T1V2W3X", but "01JZ3K8Q4M2N6P7R9S0T1V2W3Y"/],
    ['another contractor', `features/demo/someone-else/01JZ3K8Q4M2N6P7R9S0T1V2W3X.speech16k.sealed`, /contractor/],
    ['another partition', `features/other/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.speech16k.sealed`, /partition "demo", but "other"/],
    ['another preset', `features/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.librosa_default.sealed`, /preset/],
    ['another kind', `raw/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.sealed`, /kind "features", but "raw"/],
  ])('refuses an object stored under %s', async (_name, key, why) => {
    const attempt = opener().open(sealed.ciphertext, key);
    await expect(attempt).rejects.toMatchObject({ code: 'ContextMismatch', message: expect.stringMatching(why) });
  });

  it('refuses a consent or policy other than the one the reader expects', async () => {
    await expect(opener().open(sealed.ciphertext, sealed.key, { consent: '2026-02' })).rejects.toMatchObject({ code: 'ContextMismatch', message: expect.stringContaining('consent') });
    await expect(opener().open(sealed.ciphertext, sealed.key, { policy: '0'.repeat(64) })).rejects.toMatchObject({ code: 'ContextMismatch', message: expect.stringContaining('policy') });
  });

  it.each([
    ['inside the header', 60],
    ['in the middle of the body', 1024 * 1024],
    ['just before the signature', -200],
  ])('refuses a message truncated %s', async (_where, cut) => {
    const truncated = sealed.ciphertext.subarray(0, cut < 0 ? sealed.ciphertext.length + cut : cut);
    await expect(opener().open(truncated, sealed.key)).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringMatching(/truncated/) });
  });

  it.each([
    ['in the body', 1_500_000],
    ['in the signature', -5],
    ['in the last frame', -300],
  ])('refuses a message with one bit flipped %s', async (_where, at) => {
    const flipped = flipBit(sealed.ciphertext, at < 0 ? sealed.ciphertext.length + at : at);
    await expect(opener().open(flipped, sealed.key)).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining(sealed.key) });
  });

  it('refuses a bit flipped in the header, wherever it lands', async () => {
    const header = readSealedHeader(sealed.ciphertext);
    for (const at of [1, 20, 40, 120, header.headerLength - 3]) {
      const attempt = opener().open(flipBit(sealed.ciphertext, at), sealed.key);
      await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/^(IntegrityError|ContextMismatch)$/) });
    }
  });

  it('refuses a message carrying two data keys, even when one is the envelope key', async () => {
    const { deployment } = emulator();
    // Built with the SDK directly: VoiceVault's own sealer cannot make such a message.
    const permissive = buildClient({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys: false });
    const keyring = new KmsKeyringNode({ generatorKeyId: deployment.envelopeKeyArn, keyIds: [otherKeyArn], clientProvider: () => kms });
    const { result } = await permissive.encrypt(keyring, Buffer.from('two keys'), { encryptionContext: encryptionContextOf(featuresContext) });
    expect(readSealedHeader(result).encryptedDataKeys).toHaveLength(2);
    await expect(opener().open(result, objectKeyFor(featuresContext))).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining('2 data keys') });
  });

  it('refuses a message sealed under another KMS key with the right context', async () => {
    const client = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const keyring = new KmsKeyringNode({ generatorKeyId: otherKeyArn, clientProvider: () => kms });
    const { result } = await client.encrypt(keyring, Buffer.from('other key'), { encryptionContext: encryptionContextOf(featuresContext) });
    await expect(opener().open(result, objectKeyFor(featuresContext))).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining("other than this deployment's envelope key") });
  });

  it('refuses an unsigned message under the envelope key with the right context', async () => {
    const { deployment } = emulator();
    const client = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const keyring = new KmsKeyringNode({ generatorKeyId: deployment.envelopeKeyArn, clientProvider: () => kms });
    const { result } = await client.encrypt(keyring, Buffer.from('forged'), {
      encryptionContext: encryptionContextOf(featuresContext),
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
    });
    await expect(opener().open(result, objectKeyFor(featuresContext))).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining('0x0478') });
  });

  it('refuses to open with an opener for another envelope key', async () => {
    const wrongOpener = createOpener({ kms, envelopeKeyArn: otherKeyArn });
    await expect(wrongOpener.open(sealed.ciphertext, sealed.key)).rejects.toMatchObject({ code: 'IntegrityError' });
  });

  it('refuses bytes that are not a sealed message at all', async () => {
    await expect(opener().open(Buffer.from('{"not":"sealed"}'), sealed.key)).rejects.toMatchObject({ code: 'IntegrityError' });
    await expect(opener().open(new Uint8Array(0), sealed.key)).rejects.toMatchObject({ code: 'IntegrityError' });
  });
});
