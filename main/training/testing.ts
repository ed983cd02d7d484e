// For the training side's tests and benchmark: an operator's hands on the emulator's bucket (admin-level
// credentials, which moto accepts; it does not enforce IAM) to seal and put objects directly, copy them and
// overwrite them, and a fast way to seed many sealed samples without running the audio pipeline.
import { createHash } from 'node:crypto';
import { KMS } from '@aws-sdk/client-kms';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import type { Deployment } from '../aws/deployment';
import { clientConfig, s3ClientConfig, type AwsTarget } from '../aws/target';
import { createSealer, objectKeyFor, type SealContext, type SealedObject } from '../crypto';
import { encodeSafetensors } from '../features';
import type { SampleManifest } from '../pipeline';
import { encodeManifest, manifestFormat } from '../pipeline/manifest';

export interface AdminBucket {
  s3: S3Client;
  seal(plaintext: Uint8Array, context: SealContext): Promise<SealedObject>;
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  copy(from: string, to: string): Promise<void>;
  close(): void;
}

export function adminBucket(deployment: Deployment, adminTarget: AwsTarget): AdminBucket {
  const s3 = new S3Client(s3ClientConfig(adminTarget));
  const kms = new KMS(clientConfig(adminTarget));
  const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
  const bucket = deployment.bucket;
  return {
    s3,
    seal: (plaintext, context) => sealer.seal(plaintext, context),
    put: async (key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    get: async (key) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray(),
    copy: async (from, to) => {
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${from}` }));
    },
    close: () => {
      s3.destroy();
      kms.destroy();
    },
  };
}

export const seedConsent = '2026-11-01';
export const seedPolicy = createHash('sha256').update('seeded partition policy').digest('hex');

/** A small log-mel-shaped features file (frames × 40 mels, 13 MFCC), different for every sample. */
export function seedFeatures(sample: string, frames = 100): Uint8Array {
  const seed = createHash('sha256').update(sample).digest().readUInt32BE(0);
  const fill = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.37) * scale);
  return encodeSafetensors({
    metadata: { preset: 'speech16k', tier: 'frames', n_frames: String(frames), layout: 'frame-major [n_frames, n]', seeded: 'true' },
    tensors: {
      mel_power: { shape: [frames, 40], data: fill(frames * 40, 1).map(Math.abs) },
      log_mel_db: { shape: [frames, 40], data: fill(frames * 40, 40) },
      mfcc: { shape: [frames, 13], data: fill(frames * 13, 10) },
    },
  });
}

export interface SeededSample {
  sample: string;
  partition: string;
  contractor: string;
  featuresKey: string;
  manifestKey: string;
  features: Uint8Array;
  manifest: SampleManifest;
}

/** The manifest ingest would write for these features (the fields the export reads, plausibly filled). */
export function seedManifest(base: { sample: string; partition: string; contractor: string }, features: SealedObject, at = new Date()): SampleManifest {
  return {
    format: manifestFormat,
    sample: base.sample,
    partition: base.partition,
    contractor: base.contractor,
    recordedAt: at.toISOString(),
    source: { kind: 'import', format: 'wav', sampleRate: 16000, channels: 1, durationSeconds: 1 },
    quality: { sampleRate: 16000, durationSeconds: 1, peakDbfs: -3, rmsDbfs: -20, clippedPct: 0, noiseFloorDbfs: -60, speechDbfs: -18, snrDb: 40, silencePct: 5, speechRatio: 0.8, frameCount: 50 },
    verdict: { pass: true, reasons: [] },
    preset: 'speech16k',
    tier: 'log-mel',
    featureVersion: '1',
    promptId: 'p1',
    consentVersion: seedConsent,
    policy: seedPolicy,
    appVersion: '0.0.0-seed',
    objects: [{ kind: 'features', key: features.key, bytes: features.ciphertext.length, sha256: features.sha256 }],
  };
}

/** Seals a sample's features and manifest with the real sealer and puts both, as ingest would have. */
export async function putSealedSample(
  admin: AdminBucket,
  sample: { sample: string; partition: string; contractor: string },
  features: Uint8Array,
): Promise<SeededSample> {
  const base = { app: 'voicevault', consent: seedConsent, policy: seedPolicy, ...sample } as const;
  const sealedFeatures = await admin.seal(features, { ...base, kind: 'features', preset: 'speech16k' });
  const manifest = seedManifest(sample, sealedFeatures);
  const sealedManifest = await admin.seal(encodeManifest(manifest), { ...base, kind: 'manifest' });
  await admin.put(sealedFeatures.key, sealedFeatures.ciphertext);
  await admin.put(sealedManifest.key, sealedManifest.ciphertext);
  return { ...sample, featuresKey: sealedFeatures.key, manifestKey: objectKeyFor({ ...base, kind: 'manifest' }), features, manifest };
}

/** `count` sealed samples spread over `contractors`, `parallel` at a time. */
export async function seedSealedSamples(
  admin: AdminBucket,
  count: number,
  options: { partition?: string; contractors?: string[]; frames?: number; parallel?: number } = {},
): Promise<SeededSample[]> {
  const partition = options.partition ?? 'demo';
  const contractors = options.contractors ?? ['seed-contractor-a', 'seed-contractor-b'];
  const out: SeededSample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const sample = ulid();
      out.push(await putSealedSample(admin, { sample, partition, contractor: contractors[i % contractors.length]! }, seedFeatures(sample, options.frames)));
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 4 }, worker));
  return out;
}
