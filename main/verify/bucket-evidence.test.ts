// The bucket checks on objects planted in a real moto bucket: a correct sealed object passes; one moved to
// another sample's key, one under the bucket's wrong key, one sealed under another KMS key, an unsealed
// blob named .sealed and a second version each count, with the reason.
import { CreateKeyCommand, KMS } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, s3ClientConfig } from '../aws/target';
import { createSealer, type SealContext } from '../crypto';
import { useTestEmulator } from '../emulator/test-emulator';
import { inspectBucket, lostSamples, objectProblems } from './bucket-evidence';

const emulator = useTestEmulator();
const keys = { storageKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/storage', envelopeKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/envelope' };
const header = (context: Record<string, string>, dataKeys = [{ providerId: 'aws-kms', providerInfo: keys.envelopeKeyArn }]) => ({
  suiteId: 0x0578,
  encryptionContext: context,
  encryptedDataKeys: dataKeys,
  frameLength: 1048576,
  messageFormatVersion: 2,
  headerLength: 400,
});
const featuresKey = 'features/demo/c1/s1.speech16k.sealed';
const featuresContext = { app: 'voicevault', kind: 'features', partition: 'demo', contractor: 'c1', sample: 's1', preset: 'speech16k', 'aws-crypto-public-key': 'A…' };

describe('one object', () => {
  it('passes SSE-KMS under the storage key with the envelope key as its only data key and the context of its path', () => {
    expect(objectProblems({ key: featuresKey, serverSideEncryption: 'aws:kms', sseKmsKeyId: keys.storageKeyArn, header: header(featuresContext) }, keys)).toEqual([]);
    expect(objectProblems({ key: 'config/partitions/demo.json', serverSideEncryption: 'aws:kms', sseKmsKeyId: keys.storageKeyArn }, keys)).toEqual([]);
  });

  it('names each thing that is wrong', () => {
    expect(objectProblems({ key: 'config/partitions/demo.json', serverSideEncryption: 'AES256', sseKmsKeyId: undefined }, keys)).toEqual(['server-side encryption is AES256, not aws:kms']);
    expect(
      objectProblems(
        { key: featuresKey, serverSideEncryption: 'aws:kms', sseKmsKeyId: keys.envelopeKeyArn, header: header({ ...featuresContext, sample: 's2' }, [{ providerId: 'aws-kms', providerInfo: 'arn:aws:kms:eu-central-1:123456789012:key/other' }]) },
        keys,
      ),
    ).toEqual([
      `SSE-KMS key is ${keys.envelopeKeyArn}, not the storage key`,
      'data keys are [aws-kms arn:aws:kms:eu-central-1:123456789012:key/other], not the envelope key alone',
      'encryption context sample is "s2", the key path says "s1"',
    ]);
    expect(objectProblems({ key: featuresKey, serverSideEncryption: 'aws:kms', sseKmsKeyId: keys.storageKeyArn, header: header(featuresContext, [{ providerId: 'voicevault-device', providerInfo: 'k' }]) }, keys)).toEqual([
      'data keys are [voicevault-device k], not the envelope key alone',
    ]);
    expect(objectProblems({ key: featuresKey, serverSideEncryption: 'aws:kms', sseKmsKeyId: keys.storageKeyArn, header: new Error('truncated') }, keys)).toEqual(['its header cannot be read: truncated']);
    expect(objectProblems({ key: 'features/demo/c1.sealed', serverSideEncryption: 'aws:kms', sseKmsKeyId: keys.storageKeyArn }, keys)).toEqual(['a .sealed object outside the sealed layout']);
  });

  it('counts a passing sample whose objects are not all in the bucket as lost, and never a rejected one', () => {
    const samples = [
      { sample: 's1', file: 'a.wav', quality: { pass: true, reasons: [] }, objects: [{ key: 'features/demo/c/s1.speech16k.sealed', bytes: 1, sha256: 'x', sse: '' }] },
      { sample: 's2', file: 'b.wav', quality: { pass: true, reasons: [] }, objects: [{ key: 'manifests/demo/c/s2.sealed', bytes: 1, sha256: 'x', sse: '' }] },
      { sample: 's3', file: 'c.wav', quality: { pass: true, reasons: [] }, objects: [] },
      { sample: null, file: 'noise.wav', quality: { pass: false, reasons: ['too noisy'] }, objects: [] },
    ];
    expect(lostSamples({ samples }, new Set(['features/demo/c/s1.speech16k.sealed']))).toEqual(['s2', 's3']);
  });
});

describe('a bucket on moto', () => {
  let s3: S3Client;
  let kms: KMS;
  beforeAll(() => {
    s3 = new S3Client(s3ClientConfig(emulator().adminTarget));
    kms = new KMS(clientConfig(emulator().adminTarget));
  });
  afterAll(() => {
    s3.destroy();
    kms.destroy();
  });

  it('counts every object version that is not as it must be, and every key with a second version', async () => {
    const { deployment } = emulator();
    const context = (sample: string): SealContext => ({ app: 'voicevault', kind: 'features', partition: 'demo', contractor: 'c1', sample, preset: 'speech16k' });
    const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    const foreignKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const foreign = createSealer({ kms, envelopeKeyArn: foreignKey });
    const put = (key: string, body: Uint8Array, kmsKey = deployment.storageKeyArn) =>
      s3.send(new PutObjectCommand({ Bucket: deployment.bucket, Key: key, Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKey }));

    const good = await sealer.seal(new TextEncoder().encode('features of s1'), context('s1'));
    await put(good.key, good.ciphertext);
    const moved = await sealer.seal(new TextEncoder().encode('features of s2'), context('s2'));
    await put('features/demo/c1/s3.speech16k.sealed', moved.ciphertext);
    const wrongBucketKey = await sealer.seal(new TextEncoder().encode('features of s4'), context('s4'));
    await put(wrongBucketKey.key, wrongBucketKey.ciphertext, deployment.envelopeKeyArn);
    const otherEnvelope = await foreign.seal(new TextEncoder().encode('features of s5'), context('s5'));
    await put(otherEnvelope.key, otherEnvelope.ciphertext);
    await put('features/demo/c1/s6.speech16k.sealed', new TextEncoder().encode('not sealed at all'));
    const twice = await sealer.seal(new TextEncoder().encode('features of s7'), context('s7'));
    await put(twice.key, twice.ciphertext);
    await put(twice.key, twice.ciphertext);

    const inspection = await inspectBucket(s3, deployment);
    const planted = inspection.wrongKey.filter((w) => w.key.startsWith('features/demo/c1/'));
    expect(planted.map((w) => [w.key, w.problems])).toEqual([
      ['features/demo/c1/s3.speech16k.sealed', ['encryption context sample is "s2", the key path says "s3"']],
      [wrongBucketKey.key, [`SSE-KMS key is ${deployment.envelopeKeyArn}, not the storage key`]],
      [otherEnvelope.key, [`data keys are [aws-kms ${foreignKey}], not the envelope key alone`]],
      ['features/demo/c1/s6.speech16k.sealed', [expect.stringMatching(/^its header cannot be read/)]],
    ]);
    // Provisioning's own objects (partition configs) are stored as they must be.
    expect(inspection.wrongKey).toHaveLength(4);
    expect(inspection.duplicates).toEqual([{ key: twice.key, versions: 2 }]);
    expect(inspection.sealed).toBe(7);
    expect(inspection.objects).toBeGreaterThan(inspection.sealed);
  });
});
