// `npm run bench:export [-- --json] [-- --concurrency k]`: `voicevault export` of 200 samples against plain GetObject of the same
// 400 objects (manifests + features) with the same S3 client (pipeline-reader role), the same concurrency and
// the same emulator, interleaved over rounds; medians. Goal: export_ratio_vs_plain_get ≤ 1.5.
// Also: where the export's time goes (opening the same 400 messages from memory, writing 200 files
// atomically, each timed alone), and the export's peak RSS in a child process against an idle one.
// Seeding: samples are sealed directly with the real sealer (KMS data key, signing suite, exact contexts) and
// put with admin credentials; ingesting 200 clips would time the audio pipeline, not the export.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { NodeAlgorithmSuite } from '@aws-crypto/client-node';
import { deserializeFactory } from '@aws-crypto/serialize';
import { KMS } from '@aws-sdk/client-kms';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { deploymentTarget, writeDeployment } from '../../aws/deployment';
import { pipelineReaderCredentials } from '../../aws/pipeline-reader';
import { clientConfig, emulatorCredentials } from '../../aws/target';
import { readerAccess } from '../../cli/reader-access';
import { startProvisionedEmulator } from '../../emulator/local-emulator';
import { repoRoot } from '../../features/reference-venv';
import { DatasetWriter } from '../dataset-writer';
import { defaultConcurrency, exportDataset, type ExportSummary } from '../export-service';
import { adminBucket, seedSealedSamples } from '../testing';

const json = process.argv.includes('--json');
const samples = 200;
const frames = 500; // 5 s of speech16k log-mel: 500 × (40 + 40 + 13) float32 ≈ 186 KB per features file
const rounds = 5;
// `-- --concurrency k` to try another limit (the same for the export and both baselines).
const concurrencyArg = process.argv.indexOf('--concurrency');
const concurrency = concurrencyArg > 0 ? Number(process.argv[concurrencyArg + 1]) : defaultConcurrency;
const log = (text: string): void => {
  if (!json) process.stdout.write(`${text}\n`);
};
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const { deserializeMessageHeader } = deserializeFactory((bytes) => Buffer.from(bytes).toString('utf8'), NodeAlgorithmSuite);

/** The KMS Decrypt request the opener's keyring makes for a message: its one data key and its context. */
function dataKeyRequest(ciphertext: Uint8Array, keyId: string) {
  const info = deserializeMessageHeader(ciphertext);
  if (!info) throw new Error('not a sealed message');
  const [edk] = info.messageHeader.encryptedDataKeys;
  return { KeyId: keyId, CiphertextBlob: edk!.encryptedDataKey, EncryptionContext: { ...info.messageHeader.encryptionContext } };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** CPU seconds a process has used so far (Linux /proc; NaN elsewhere). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return Number.NaN;
  }
}

interface Cost {
  wall_s: number;
  /** CPU seconds of this process (the client) and of the moto server during the run. */
  client_cpu_s: number;
  moto_cpu_s: number;
}

async function measured(motoPid: number, run: () => Promise<unknown>): Promise<Cost> {
  const moto = cpuSecondsOf(motoPid);
  const cpu = process.cpuUsage();
  const wall = await timed(run);
  const used = process.cpuUsage(cpu);
  return { wall_s: wall, client_cpu_s: (used.user + used.system) / 1e6, moto_cpu_s: cpuSecondsOf(motoPid) - moto };
}

/**
 * Not execFileSync: this process must keep reading moto's output while the child runs, or moto blocks on a
 * full log pipe and the child waits for it forever.
 */
async function child(statePath: string, out: string, idle = false): Promise<{ seconds: number; exported: number; peak_rss_mb: number }> {
  const args = ['--import', 'tsx', join(repoRoot, 'main', 'training', 'bench', 'export-child.ts'), statePath, out, String(concurrency), ...(idle ? ['--idle'] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; exported: number; peak_rss_mb: number };
}

async function main(): Promise<void> {
  const emulator = await startProvisionedEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'voicevault-bench-export-'));
  const admin = adminBucket(emulator.deployment, emulator.target);
  const reader = readerAccess(emulator.deployment);
  try {
    const { deployment } = emulator;
    log(`seeding ${samples} samples (sealed directly, put with admin credentials)…`);
    const seedStarted = performance.now();
    const seeded = await seedSealedSamples(admin, samples, { frames, parallel: 8 });
    const seeding_s = (performance.now() - seedStarted) / 1000;
    const keys = seeded.flatMap((s) => [s.manifestKey, s.featuresKey]);

    let fetchedBytes = 0;
    const plainGet = () =>
      inParallel(keys, concurrency, async (key) => {
        const object = await reader.s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: key }));
        fetchedBytes += (await object.Body!.transformToByteArray()).length;
      });
    // The least a verified export must ask of the emulator: every GET, plus one KMS Decrypt per message.
    const kms = new KMS(clientConfig({ ...deploymentTarget(deployment), credentials: pipelineReaderCredentials(deployment, emulatorCredentials) }));
    const getAndUnwrap = () =>
      inParallel(keys, concurrency, async (key) => {
        const object = await reader.s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: key }));
        await kms.decrypt(dataKeyRequest(await object.Body!.transformToByteArray(), deployment.envelopeKeyArn));
      });
    let last: ExportSummary | undefined;
    let runs = 0;
    const exportOnce = async () => {
      const out = join(dir, `export-${runs++}`);
      last = await exportDataset({ s3: reader.s3, bucket: deployment.bucket, open: reader.open, out, concurrency });
      if (last.exported !== samples || last.rejected !== 0) throw new Error(`the export wrote ${last.exported} samples and rejected ${last.rejected}`);
      rmSync(out, { recursive: true, force: true });
    };

    // Warm-up: credentials assumed, connections open, code compiled, on both sides.
    await plainGet();
    await getAndUnwrap();
    await exportOnce();
    const plain: Cost[] = [];
    const floor: Cost[] = [];
    const exported: Cost[] = [];
    const motoPid = emulator.moto.pid;
    const busy: ExportSummary['busy_ms'][] = [];
    for (let r = 0; r < rounds; r++) {
      fetchedBytes = 0;
      plain.push(await measured(motoPid, plainGet));
      exported.push(await measured(motoPid, exportOnce));
      floor.push(await measured(motoPid, getAndUnwrap));
      busy.push(last!.busy_ms);
      log(`  round ${r + 1}: plain GetObject ${plain.at(-1)!.wall_s.toFixed(2)} s, GetObject + KMS Decrypt ${floor.at(-1)!.wall_s.toFixed(2)} s, export ${exported.at(-1)!.wall_s.toFixed(2)} s (busy ms ${JSON.stringify(last!.busy_ms, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))})`);
    }

    // Where the time goes: the export's extra steps, each alone on the same inputs.
    const ciphertexts: { key: string; bytes: Uint8Array }[] = [];
    await inParallel(keys, concurrency, async (key) => {
      const object = await reader.s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: key }));
      ciphertexts.push({ key, bytes: await object.Body!.transformToByteArray() });
    });
    const openTimes: number[] = [];
    for (let r = 0; r < 3; r++) openTimes.push(await timed(() => inParallel(ciphertexts, concurrency, (c) => reader.open(c.bytes, c.key))));
    const openOnly = median(openTimes);
    const writeOnly = await timed(async () => {
      const writer = await DatasetWriter.open(join(dir, 'write-only'));
      await inParallel(seeded, concurrency, (s) => writer.writeFile(`demo/${s.sample}.speech16k.safetensors`, s.features));
      await writer.release();
    });

    const statePath = join(dir, 'state.json');
    await writeDeployment(statePath, deployment);
    const idle = await child(statePath, join(dir, 'idle'), true);
    const childRun = await child(statePath, join(dir, 'child'));
    if (childRun.exported !== samples) throw new Error(`the child exported ${childRun.exported} samples`);

    const plainS = median(plain.map((c) => c.wall_s));
    const exportS = median(exported.map((c) => c.wall_s));
    const cost = (costs: Cost[]) => ({ wall_s: round(median(costs.map((c) => c.wall_s)), 3), client_cpu_s: round(median(costs.map((c) => c.client_cpu_s))), moto_cpu_s: round(median(costs.map((c) => c.moto_cpu_s))) });
    const ms = (pick: (b: ExportSummary['busy_ms']) => number) => round(median(busy.map(pick)));
    const result = {
      samples,
      objects: keys.length,
      seeded: 'sealed directly with the real sealer (KMS data key, signing suite 0x0578, exact contexts) and put with admin credentials',
      features_bytes: seeded[0]!.features.length,
      fetched_bytes_per_run: fetchedBytes,
      seeding_s: round(seeding_s),
      concurrency,
      rounds,
      plain_get_s: round(plainS, 3),
      export_s: round(exportS, 3),
      export_ratio_vs_plain_get: round(exportS / plainS),
      goal: 1.5,
      get_plus_kms_decrypt_s: round(median(floor.map((c) => c.wall_s)), 3),
      floor_ratio_vs_plain_get: round(median(floor.map((c) => c.wall_s)) / plainS),
      cost: { plain_get: cost(plain), get_plus_kms_decrypt: cost(floor), export: cost(exported) },
      export_busy_ms: { list: ms((b) => b.list), fetch: ms((b) => b.fetch), open: ms((b) => b.open), write: ms((b) => b.write) },
      open_only_s: round(openOnly, 3),
      write_only_s: round(writeOnly, 3),
      child_export_s: round(childRun.seconds, 3),
      peak_rss_mb: round(childRun.peak_rss_mb, 1),
      idle_rss_mb: round(idle.peak_rss_mb, 1),
    };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log(`export of ${samples} samples: ${result.export_s} s; plain GetObject of the same ${keys.length} objects: ${result.plain_get_s} s`);
      log(`export_ratio_vs_plain_get ${result.export_ratio_vs_plain_get} (goal ≤ ${result.goal})`);
      log(`GetObject + one KMS Decrypt per object (no local crypto, nothing written): ${result.get_plus_kms_decrypt_s} s, ratio ${result.floor_ratio_vs_plain_get}`);
      log(`CPU seconds (client / moto), medians: plain GET ${result.cost.plain_get.client_cpu_s} / ${result.cost.plain_get.moto_cpu_s}, GET + KMS Decrypt ${result.cost.get_plus_kms_decrypt.client_cpu_s} / ${result.cost.get_plus_kms_decrypt.moto_cpu_s}, export ${result.cost.export.client_cpu_s} / ${result.cost.export.moto_cpu_s}`);
      log(`alone on the same inputs: opening the ${keys.length} messages ${result.open_only_s} s, writing ${samples} files ${result.write_only_s} s`);
      log(`busy time inside the export (summed over ${concurrency} workers): ${JSON.stringify(result.export_busy_ms)} ms`);
      log(`peak RSS of an export in a child process: ${result.peak_rss_mb} MB (idle reader: ${result.idle_rss_mb} MB)`);
    }
    kms.destroy();
  } finally {
    reader.close();
    admin.close();
    rmSync(dir, { recursive: true, force: true });
    await emulator.moto.stop();
  }
}

await main();
