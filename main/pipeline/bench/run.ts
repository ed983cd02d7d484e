// `npm run bench:pipeline [-- --json]`: the sealed pipeline against baselines measured in the same run.
// - seal_ratio_vs_primitives: AES-256-GCM + SHA-384 of 64 MiB with node:crypto (what the signing suite
//   must at least do) over Encryption SDK sealing of the same bytes. Goal ≥ 0.8.
// - ingest_ratio_vs_plain_put: 100 five-second clips through the whole pipeline (decode, quality,
//   features, seal, outbox, upload) over plain PutObject of the same sealed objects with the same
//   client and emulator. Goal ≤ 1.5.
// - latency_ratio_vs_put: p50 stop→uploaded of a 10 s take over p50 plain PutObject of its sealed
//   objects. Goal ≤ 3.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMS } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { decodeAudioFile, encodeWav } from '../../audio';
import { deploymentTarget } from '../../aws/deployment';
import { clientConfig, s3ClientConfig } from '../../aws/target';
import { createSealer } from '../../crypto';
import { startProvisionedEmulator } from '../../emulator/local-emulator';
import { openTestWorkspace, referenceClip } from '../testing';

const json = process.argv.includes('--json');
const log = (text: string): void => {
  if (!json) process.stdout.write(`${text}\n`);
};
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function primitives(bytes: Buffer): void {
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), randomBytes(12));
  const hash = createHash('sha384');
  for (let at = 0; at < bytes.length; at += 1 << 20) hash.update(cipher.update(bytes.subarray(at, at + (1 << 20))));
  hash.update(cipher.final());
  hash.digest();
}

async function main(): Promise<void> {
  const emulator = await startProvisionedEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'voicevault-bench-pipeline-'));
  try {
    const { deployment } = emulator;

    // 1. Sealing 64 MiB against the primitives it cannot beat.
    const plaintext = randomBytes(64 * 1024 * 1024);
    const kms = new KMS(clientConfig({ ...emulator.target }));
    const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    const context = { app: 'voicevault', kind: 'raw', partition: 'demo', contractor: 'bench', sample: 'bench', consent: 'v1' } as const;
    const sealMs: number[] = [];
    const primitiveMs: number[] = [];
    await sealer.seal(plaintext, context); // warm-up
    primitives(plaintext);
    for (let i = 0; i < 5; i++) {
      sealMs.push(await timed(() => sealer.seal(plaintext, context)));
      primitiveMs.push(await timed(async () => primitives(plaintext)));
    }
    kms.destroy();
    const seal = { sdk_ms: round(median(sealMs), 1), primitives_ms: round(median(primitiveMs), 1) };
    log(`sealing 64 MiB: SDK ${seal.sdk_ms} ms, AES-256-GCM + SHA-384 ${seal.primitives_ms} ms`);

    // 2. 100 five-second clips through the whole pipeline, then the same sealed objects put plainly.
    const speech = await decodeAudioFile(referenceClip('speech_en_16k.wav'));
    const five = speech.samples.subarray(0, speech.sampleRate * 5);
    const clips: string[] = [];
    for (let i = 0; i < 100; i++) {
      const path = join(dir, `clip-${i}.wav`);
      writeFileSync(path, encodeWav([five.map((s) => s * (0.5 + i * 0.004))], { sampleFormat: 'pcm-s16', sampleRate: speech.sampleRate }));
      clips.push(path);
    }
    const ws = await openTestWorkspace(deployment, { dataDir: join(dir, 'data') });
    const target = { ...deploymentTarget(deployment), credentials: ws.session.credentials };
    const s3 = new S3Client(s3ClientConfig(target));
    let draining: Promise<unknown> = Promise.resolve();
    const ingestMs = await timed(async () => {
      for (const clip of clips) {
        const outcome = await ws.ingest.ingestFile(clip);
        if (outcome.status !== 'queued') throw new Error(`${clip}: ${JSON.stringify(outcome)}`);
        // Upload in the background while the next clip is analysed and sealed, as the app does.
        draining = draining.then(() => ws.uploader.drain());
      }
      await draining;
      await ws.uploader.drain();
    });
    const receipts = ws.ledger.entries().flatMap((e) => e.receipt?.objects ?? []);
    if (receipts.length !== 200) throw new Error(`expected 200 uploaded objects, found ${receipts.length}`);
    const admin = new S3Client(s3ClientConfig(emulator.target));
    const sealedObjects: { key: string; body: Uint8Array; sha256: string }[] = [];
    for (const r of receipts) {
      const object = await admin.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: r.key }));
      sealedObjects.push({ key: r.key.replace(/\/([0-9A-Z]{26})\./, `/${ulid()}.`), body: await object.Body!.transformToByteArray(), sha256: r.sha256 });
    }
    admin.destroy();
    const put = (o: { key: string; body: Uint8Array; sha256: string }) =>
      s3.send(
        new PutObjectCommand({
          Bucket: deployment.bucket,
          Key: o.key.replace(/\.sealed$/, '.plain.sealed'),
          Body: o.body,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: deployment.storageKeyArn,
          BucketKeyEnabled: true,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: o.sha256,
          IfNoneMatch: '*',
        }),
      );
    // The same concurrency as the uploader's default (two entries at a time).
    const plainMs = await timed(async () => {
      const queue = [...sealedObjects];
      const worker = async () => {
        for (let o = queue.shift(); o; o = queue.shift()) await put(o);
      };
      await Promise.all([worker(), worker()]);
    });
    log(`100 × 5 s clips: whole pipeline ${round(ingestMs, 0)} ms, plain PutObject of the same 200 sealed objects ${round(plainMs, 0)} ms`);

    // 3. Latency of one 10 s take from stop to uploaded, against putting its sealed objects.
    const ten = new Float32Array(speech.sampleRate * 10);
    for (let at = 0; at < ten.length; at += speech.samples.length) ten.set(speech.samples.subarray(0, ten.length - at), at);
    const latencies: number[] = [];
    const plainLatencies: number[] = [];
    for (let i = 0; i < 11; i++) {
      const chunks: Float32Array[] = [];
      for (let at = 0; at < ten.length; at += 1600) chunks.push(ten.slice(at, at + 1600).map((s) => s * (0.6 + i * 0.01)));
      let sample = '';
      latencies.push(
        await timed(async () => {
          sample = ws.ingest.allocateSampleId();
          const take = await ws.ingest.analysePcm(chunks, speech.sampleRate, { sample, promptId: 'p1' });
          await ws.ingest.seal(take);
          await ws.uploader.upload(sample);
        }),
      );
      const objects = ws.ledger.get(sample)!.receipt!.objects;
      const bodies: { key: string; body: Uint8Array; sha256: string }[] = [];
      const reader = new S3Client(s3ClientConfig(emulator.target));
      for (const o of objects) {
        const got = await reader.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: o.key }));
        bodies.push({ key: o.key.replace(/\/([0-9A-Z]{26})\./, `/${ulid()}.`), body: await got.Body!.transformToByteArray(), sha256: o.sha256 });
      }
      reader.destroy();
      plainLatencies.push(await timed(async () => {
        for (const o of bodies) await put(o);
      }));
    }
    latencies.shift(); // warm-up
    plainLatencies.shift();
    s3.destroy();
    ws.close();
    const latency = { p50_ms: round(median(latencies), 1), plain_put_p50_ms: round(median(plainLatencies), 1) };
    log(`10 s take, stop → uploaded: p50 ${latency.p50_ms} ms; plain PutObject of its sealed objects: p50 ${latency.plain_put_p50_ms} ms`);

    const summary = {
      seal_ratio_vs_primitives: round(seal.primitives_ms / seal.sdk_ms),
      seal_sdk_ms: seal.sdk_ms,
      seal_primitives_ms: seal.primitives_ms,
      ingest_ratio_vs_plain_put: round(ingestMs / plainMs),
      ingest_ms: round(ingestMs, 0),
      plain_put_ms: round(plainMs, 0),
      latency_ratio_vs_put: round(latency.p50_ms / latency.plain_put_p50_ms),
      latency_p50_ms: latency.p50_ms,
      latency_plain_put_p50_ms: latency.plain_put_p50_ms,
    };
    log(`seal_ratio_vs_primitives ${summary.seal_ratio_vs_primitives} (goal ≥ 0.8), ingest_ratio_vs_plain_put ${summary.ingest_ratio_vs_plain_put} (goal ≤ 1.5), latency_ratio_vs_put ${summary.latency_ratio_vs_put} (goal ≤ 3)`);
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await emulator.moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
