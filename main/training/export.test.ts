// The training side against a real moto server behind a recording loopback proxy: reference clips ingested
// by ada and grace through the real pipeline, exported with the pipeline-reader role, and the bucket then
// tampered with by an operator holding admin credentials.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio';
import type { Deployment } from '../aws/deployment';
import { readerAccess, type ReaderAccess } from '../cli/reader-access';
import { runCli } from '../cli';
import { readSealedHeader } from '../crypto';
import { internalErrorFault, startLoopbackProxy, type LoopbackProxy } from '../emulator/loopback-proxy';
import { useTestEmulator } from '../emulator/test-emulator';
import { decodeSafetensors } from '../features';
import { ensureReferencePython } from '../features/reference-venv';
import { encodeManifest, type SampleManifest } from '../pipeline/manifest';
import { openTestWorkspace, quietIo, referenceClip, type TestWorkspace } from '../pipeline/testing';
import { adminBucket, putSealedSample, seedFeatures, type AdminBucket } from './testing';
import { appendDeletionRecord, exportDataset, newDeletionRecords, parseShard, type ExportOptions, type IndexRow, type RejectedRow } from './index';

const emulator = useTestEmulator();
let proxy: LoopbackProxy;
let wired: Deployment;
let reader: ReaderAccess;
let admin: AdminBucket;
let ada: TestWorkspace;
let grace: TestWorkspace;

interface Ingested {
  sample: string;
  clip: string;
  contractor: string;
}
const ingested: Ingested[] = [];

const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `voicevault-export-${name}-`));

function jsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/** GetObject requests (a key after the bucket; listings have none) since request number `from`. */
function objectGets(from: number): string[] {
  const prefix = `/${wired.bucket}/`;
  return proxy.requests
    .slice(from)
    .filter((r) => r.service === 's3' && r.method === 'GET' && r.path.startsWith(prefix) && r.path.length > prefix.length && !r.path.startsWith(`${prefix}?`))
    .map((r) => decodeURIComponent(r.path.slice(prefix.length).split('?')[0]!));
}

function exportTo(out: string, options: Partial<ExportOptions> = {}) {
  return exportDataset({ s3: reader.s3, bucket: wired.bucket, open: reader.open, out, retry: { baseMs: 1, capMs: 5 }, ...options });
}

async function ingest(ws: TestWorkspace, clip: string, prompt?: string): Promise<Ingested> {
  const outcome = await ws.ingest.ingestFile(clip, prompt);
  expect(outcome.status).toBe('queued');
  expect((await ws.uploader.drain()).remaining).toEqual([]);
  const entry = { sample: outcome.sample, clip, contractor: ws.session.claims.sub };
  ingested.push(entry);
  return entry;
}

beforeAll(async () => {
  proxy = await startLoopbackProxy({ target: emulator().deployment.endpoint! });
  wired = { ...emulator().deployment, endpoint: proxy.url };
  ada = await openTestWorkspace(wired);
  grace = await openTestWorkspace(wired, { username: 'grace' });
  await ingest(ada, referenceClip('speech_en_16k.wav'), 'p1');
  await ingest(ada, referenceClip('speech_de_22k.wav'));
  await ingest(grace, referenceClip('speech_en_22k.wav'), 'p2');
  reader = readerAccess(wired);
  admin = adminBucket(emulator().deployment, emulator().adminTarget);
}, 180_000);

afterAll(async () => {
  ada?.close();
  grace?.close();
  reader?.close();
  admin?.close();
  await proxy?.close();
});

/** Reference: `voicevault features <clip> --preset speech16k --out <file>`, as a user runs it. */
async function featuresComputedLocally(clip: string): Promise<ReturnType<typeof decodeSafetensors>> {
  const out = join(tempDir('local'), 'local.safetensors');
  expect(await runCli(['features', clip, '--preset', 'speech16k', '--out', out], quietIo)).toBe(0);
  return decodeSafetensors(readFileSync(out));
}

const datasetDir = tempDir('main');

describe('voicevault export', () => {
  it('writes each sample’s features, equal to 1e-4 to what `voicevault features` computes from the same file, with its index row', async () => {
    const summary = await exportTo(datasetDir);
    expect(summary).toMatchObject({ listed: 3, exported: 3, files: 3, already_exported: 0, rejected: 0, objects_fetched: 6 });
    const rows = jsonl<IndexRow>(join(datasetDir, 'index.jsonl'));
    expect(rows.map((r) => r.sample).sort()).toEqual(ingested.map((s) => s.sample).sort());
    for (const { sample, clip, contractor } of ingested) {
      const row = rows.find((r) => r.sample === sample)!;
      const audio = await decodeAudioFile(clip);
      expect(row).toMatchObject({
        partition: 'demo',
        contractor,
        preset: 'speech16k',
        tier: 'log-mel',
        consent_version: '2026-11-01',
        app_version: '0.0.0-test',
        path: `demo/${sample}.speech16k.safetensors`,
        quality: { pass: true },
      });
      expect(row.contractor).toMatch(/^[0-9a-f-]{36}$/); // the pseudonymous sub, not a user name
      expect(row.duration_s).toBeCloseTo(audio.samples.length / audio.sampleRate, 2);
      expect(Date.parse(row.recorded_at)).toBeGreaterThan(Date.parse('2026-01-01') - 365 * 86_400_000);
      expect(row.quality.snr_db).toBeGreaterThan(10);

      const exported = decodeSafetensors(readFileSync(join(datasetDir, row.path)));
      const local = await featuresComputedLocally(clip);
      expect(Object.keys(exported.tensors).sort()).toEqual(['log_mel_db', 'mel_power', 'mfcc']);
      for (const [name, tensor] of Object.entries(local.tensors)) {
        const got = exported.tensors[name]!;
        expect(got.shape, name).toEqual(tensor.shape);
        let worst = 0;
        for (let i = 0; i < tensor.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - tensor.data[i]!));
        expect(worst, `${name} of ${clip}`).toBeLessThanOrEqual(1e-4);
      }
      expect(exported.metadata.preset).toBe('speech16k');
    }
    expect(rows.find((r) => r.sample === ingested[0]!.sample)!.prompt_id).toBe('p1');
    expect(rows.find((r) => r.sample === ingested[1]!.sample)!.prompt_id).toBeNull();
    expect(readFileSync(join(datasetDir, 'rejected.jsonl'), 'utf8')).toBe('');
  });

  it('fetches nothing on a second run, and exactly the new sample’s two objects after another upload', async () => {
    const indexBefore = readFileSync(join(datasetDir, 'index.jsonl'), 'utf8');
    const from = proxy.requests.length;
    const again = await exportTo(datasetDir);
    expect(again).toMatchObject({ listed: 3, exported: 0, already_exported: 3, objects_fetched: 0, rejected: 0 });
    expect(objectGets(from)).toEqual([]);
    expect(readFileSync(join(datasetDir, 'index.jsonl'), 'utf8')).toBe(indexBefore);

    const added = await ingest(ada, referenceClip('speech_de_48k.wav'));
    const next = proxy.requests.length;
    const third = await exportTo(datasetDir);
    expect(third).toMatchObject({ listed: 4, exported: 1, already_exported: 3 });
    expect(objectGets(next).sort()).toEqual([`features/demo/${added.contractor}/${added.sample}.speech16k.sealed`, `manifests/demo/${added.contractor}/${added.sample}.sealed`]);
    expect(jsonl<IndexRow>(join(datasetDir, 'index.jsonl')).map((r) => r.sample).sort()).toEqual(ingested.map((s) => s.sample).sort());
  });

  it('retries a read that S3 keeps failing, with backoff, and still exports every sample', async () => {
    const victim = ingested[1]!;
    const key = `features/demo/${victim.contractor}/${victim.sample}.speech16k.sealed`;
    let failures = 0;
    proxy.setFault((r) => (r.method === 'GET' && r.path.includes(key) && failures++ < 3 ? internalErrorFault() : undefined));
    const from = proxy.requests.length;
    try {
      const summary = await exportTo(tempDir('retry'));
      expect(summary).toMatchObject({ exported: 4, rejected: 0 });
    } finally {
      proxy.setFault(undefined);
    }
    // Three 500s (the SDK's own tries, then ours), then the read that worked.
    expect(objectGets(from).filter((k) => k === key)).toHaveLength(4);
  });

  it('leaves nothing half-written when a run stops, and the next run finishes it without duplicate rows', async () => {
    const out = tempDir('stopped');
    const blocked = ingested[3]!;
    proxy.setFault((r) => (r.method === 'GET' && r.path.includes(`${blocked.sample}.speech16k.sealed`) ? { kind: 'refuse' } : undefined));
    try {
      await expect(exportTo(out, { pageSize: 1, concurrency: 2 })).rejects.toMatchObject({ code: 'NetworkUnavailable' });
    } finally {
      proxy.setFault(undefined);
    }
    const rowsAfterStop = jsonl<IndexRow>(join(out, 'index.jsonl'));
    // ada's two earlier samples list before the blocked one, one page each: those pages were committed.
    expect(rowsAfterStop.length).toBeGreaterThanOrEqual(2);
    expect(rowsAfterStop.map((r) => r.sample)).not.toContain(blocked.sample);
    // Every file is whole and indexed; no temporary file, lock or run log is left.
    const dataFiles = filesUnder(out).filter((f) => f.endsWith('.safetensors'));
    expect(dataFiles).toEqual(rowsAfterStop.map((r) => r.path).sort());
    expect(filesUnder(join(out, '.voicevault-export'))).toEqual(['done.tsv']);

    const resumed = await exportTo(out, { pageSize: 1 });
    expect(resumed).toMatchObject({ exported: 4 - rowsAfterStop.length, already_exported: rowsAfterStop.length, rejected: 0 });
    const rows = jsonl<IndexRow>(join(out, 'index.jsonl'));
    expect(rows.map((r) => r.sample).sort()).toEqual(ingested.map((s) => s.sample).sort());
  });

  it('exports with --shard 0/2 and 1/2 exactly the samples of one unsharded run, split by a hash of the sample id', async () => {
    // Seeded samples (sealed directly), so that both shards are surely non-empty.
    for (let i = 0; i < 8; i++) {
      const sample = `01SHARDTEST${String(i).padStart(15, '0')}`;
      await putSealedSample(admin, { sample, partition: 'demo', contractor: 'seed-contractor' }, seedFeatures(sample, 20));
    }
    const whole = tempDir('whole');
    const halves = [tempDir('shard0'), tempDir('shard1')];
    expect(await exportTo(whole)).toMatchObject({ exported: 12, rejected: 0 });
    for (const [i, out] of halves.entries()) expect(await exportTo(out, { shard: parseShard(`${i}/2`) })).toMatchObject({ shard: `${i}/2`, rejected: 0 });

    const rowsOf = (dir: string) => jsonl<IndexRow>(join(dir, 'index.jsonl'));
    const [zero, one] = halves.map(rowsOf) as [IndexRow[], IndexRow[]];
    expect(zero.length).toBeGreaterThan(0);
    expect(one.length).toBeGreaterThan(0);
    const bySample = (rows: IndexRow[]) => [...rows].sort((a, b) => a.sample.localeCompare(b.sample));
    expect(bySample([...zero, ...one])).toEqual(bySample(rowsOf(whole)));
    // The rule, written out: the first four bytes of SHA-256(sample id), big-endian, modulo n.
    for (const [i, rows] of [zero, one].entries()) {
      for (const row of rows) expect(createHash('sha256').update(row.sample).digest().readUInt32BE(0) % 2, row.sample).toBe(i);
      for (const row of rows) expect(readFileSync(join(halves[i]!, row.path)).equals(readFileSync(join(whole, row.path)))).toBe(true);
    }
  });

  it('applies the deletion feed: erased samples leave the dataset, are listed in deletions.jsonl, and are never exported again', async () => {
    const victim = ingested[0]!;
    const [record] = newDeletionRecords({ partition: 'demo', samples: [victim.sample], reason: 'contractor-erased' }, new Date('2026-05-01T12:00:00Z'));
    const { key } = await appendDeletionRecord(admin.s3, wired.bucket, record!);
    expect(key).toBe(`deletions/20260501T120000000Z-${record!.id}.json`);

    const from = proxy.requests.length;
    const run = await exportTo(datasetDir);
    // (The eight samples seeded for the shard test are new to this dataset.)
    expect(run).toMatchObject({ deletion_records: 1, erased: 1, removed: 1, exported: 8, rejected: 0 });
    expect(objectGets(from).filter((k) => k.startsWith('deletions/'))).toEqual([key]);
    expect(existsSync(join(datasetDir, `demo/${victim.sample}.speech16k.safetensors`))).toBe(false);
    expect(jsonl<IndexRow>(join(datasetDir, 'index.jsonl')).map((r) => r.sample)).not.toContain(victim.sample);
    const expectedRow = { sample: victim.sample, partition: 'demo', reason: 'contractor-erased', erased_at: '2026-05-01T12:00:00.000Z', record: key };
    expect(jsonl(join(datasetDir, 'deletions.jsonl'))).toEqual([{ ...expectedRow, removed: true }]);

    // Applied once: the next run fetches nothing and lists nothing twice.
    const next = proxy.requests.length;
    expect(await exportTo(datasetDir)).toMatchObject({ deletion_records: 0, exported: 0, objects_fetched: 0 });
    expect(objectGets(next)).toEqual([]);
    expect(jsonl(join(datasetDir, 'deletions.jsonl'))).toHaveLength(1);

    // A fresh export never contains the sample, though its objects are still in the bucket.
    const fresh = tempDir('after-erase');
    expect(await exportTo(fresh)).toMatchObject({ exported: 11, skipped: 1 });
    expect(jsonl<IndexRow>(join(fresh, 'index.jsonl')).map((r) => r.sample)).not.toContain(victim.sample);
    expect(jsonl(join(fresh, 'deletions.jsonl'))).toEqual([{ ...expectedRow, removed: false }]);
  });
});

describe('the Python snippet in docs/training.md', () => {
  it('loads the exported dataset with numpy + safetensors alone', async (context) => {
    const found = ensureReferencePython(['numpy', 'safetensors'], ['numpy', 'safetensors']);
    if ('reason' in found) {
      console.warn(`skipped: ${found.reason}`);
      context.skip();
      return;
    }
    const docs = readFileSync(new URL('../../docs/training.md', import.meta.url), 'utf8');
    const snippet = /```python\n(# load_dataset\.py[\s\S]*?)```/.exec(docs)?.[1];
    expect(snippet, 'a ```python block starting with "# load_dataset.py"').toBeDefined();
    const script = join(tempDir('python'), 'load_dataset.py');
    writeFileSync(script, snippet!);
    const output = execFileSync(found.python, [script, datasetDir], { encoding: 'utf8' });
    const lines = output.trim().split('\n');
    const rows = jsonl<IndexRow>(join(datasetDir, 'index.jsonl'));
    expect(lines.at(-1)).toBe(`${rows.length} samples, 1 erased`);
    for (const row of rows) {
      const tensors = decodeSafetensors(readFileSync(join(datasetDir, row.path))).tensors;
      const mean = tensors.log_mel_db!.data.reduce((a, b) => a + b, 0) / tensors.log_mel_db!.data.length;
      const line = lines.find((l) => l.startsWith(`${row.sample} `));
      expect(line, row.sample).toBeDefined();
      const [, preset, shape, meanText] = line!.split(' ');
      expect(preset).toBe('speech16k');
      expect(shape).toBe(`log_mel_db[${tensors.log_mel_db!.shape.join('x')}]`);
      expect(Number(meanText)).toBeCloseTo(mean, 2);
    }
  });
});

describe('tampering', () => {
  it('rejects a moved manifest, a features object under another sample’s key, a replaced features object and a truncated manifest, with reasons, writing nothing of them', async () => {
    const [, replaced, truncated, moved] = ingested as [Ingested, Ingested, Ingested, Ingested];
    const keys = (s: Ingested) => ({ features: `features/demo/${s.contractor}/${s.sample}.speech16k.sealed`, manifest: `manifests/demo/${s.contractor}/${s.sample}.sealed` });

    // 1. A manifest copied under another sample's key: its context names the sample it was sealed for.
    const copiedManifest = `manifests/demo/${moved.contractor}/01TAMPERMOVEDMANIFEST00000.sealed`;
    await admin.copy(keys(moved).manifest, copiedManifest);

    // 2. A features object copied under another sample's key, with a validly sealed manifest for that
    //    sample naming exactly its ciphertext: only the features' own context can give it away.
    const movedFeatures = await admin.get(keys(moved).features);
    const { consent, policy } = readSealedHeader(movedFeatures).encryptionContext as { consent: string; policy: string };
    const other = { sample: '01TAMPERMOVEDFEATURES00000', partition: 'demo', contractor: moved.contractor };
    const otherFeaturesKey = `features/demo/${other.contractor}/${other.sample}.speech16k.sealed`;
    await admin.put(otherFeaturesKey, movedFeatures);
    const movedManifest = JSON.parse(new TextDecoder().decode((await reader.open(await admin.get(keys(moved).manifest), keys(moved).manifest)).plaintext)) as SampleManifest;
    const otherManifest = await admin.seal(
      encodeManifest({
        ...movedManifest,
        sample: other.sample,
        objects: [{ kind: 'features', key: otherFeaturesKey, bytes: movedFeatures.length, sha256: createHash('sha256').update(movedFeatures).digest('base64') }],
      }),
      { app: 'voicevault', kind: 'manifest', ...other, consent, policy },
    );
    await admin.put(otherManifest.key, otherManifest.ciphertext);

    // 3. A features object replaced by another one, validly sealed for the very same key and context.
    const replacement = await admin.seal(seedFeatures('replacement'), { app: 'voicevault', kind: 'features', partition: 'demo', contractor: replaced.contractor, sample: replaced.sample, preset: 'speech16k', consent, policy });
    expect(replacement.key).toBe(keys(replaced).features);
    await admin.put(replacement.key, replacement.ciphertext);

    // 4. A manifest cut short.
    const whole = await admin.get(keys(truncated).manifest);
    await admin.put(keys(truncated).manifest, whole.subarray(0, Math.floor(whole.length * 0.7)));

    const out = tempDir('tampered');
    const summary = await exportTo(out);
    expect(summary.rejected).toBe(4);
    const rejected = jsonl<RejectedRow>(join(out, 'rejected.jsonl'));
    const byKey = new Map(rejected.map((r) => [r.key, r]));
    expect(byKey.get(copiedManifest)).toMatchObject({ check: 'encryption-context', code: 'ContextMismatch', sample: '01TAMPERMOVEDMANIFEST00000', reason: expect.stringContaining(`sample "${moved.sample}"`) });
    expect(byKey.get(otherFeaturesKey)).toMatchObject({ check: 'encryption-context', code: 'ContextMismatch', sample: other.sample, reason: expect.stringContaining(`sample "${moved.sample}"`) });
    expect(byKey.get(keys(replaced).features)).toMatchObject({ check: 'ciphertext-hash', code: 'IntegrityError', sample: replaced.sample, reason: expect.stringMatching(/not the one the manifest recorded/) });
    expect(byKey.get(keys(truncated).manifest)).toMatchObject({ check: 'message-integrity', code: 'IntegrityError', sample: truncated.sample, reason: expect.stringMatching(/truncated/) });

    // Nothing of them was written, and nothing half-written remains: every file is an indexed sample or bookkeeping.
    const rows = jsonl<IndexRow>(join(out, 'index.jsonl'));
    const refused = [replaced.sample, truncated.sample, other.sample, '01TAMPERMOVEDMANIFEST00000'];
    expect(rows.map((r) => r.sample).filter((s) => refused.includes(s))).toEqual([]);
    expect(rows.map((r) => r.sample)).toContain(moved.sample);
    expect(filesUnder(out)).toEqual([...rows.map((r) => r.path), '.voicevault-export/done.tsv', 'deletions.jsonl', 'index.jsonl', 'rejected.jsonl'].sort());
    expect(relative(out, join(out, rows[0]!.path))).toMatch(/^demo\/[0-9A-Z]+\.speech16k\.safetensors$/);

    // In the dataset exported before, the truncated manifest's new ETag is flagged without fetching it.
    const from = proxy.requests.length;
    const again = await exportTo(datasetDir);
    expect(objectGets(from).filter((k) => k.startsWith('manifests/') && k.includes(truncated.sample))).toEqual([]);
    expect(jsonl<RejectedRow>(join(datasetDir, 'rejected.jsonl'))).toContainEqual(expect.objectContaining({ key: keys(truncated).manifest, check: 'changed-since-export' }));
    expect(again.rejected).toBeGreaterThanOrEqual(1);
  });
});
