// `voicevault ingest` (the shipped bundle) on a batch of 20 files, SIGKILLed at random instants and
// run again until it finishes. The instants are random points in its own progress (a random progress
// line, then a random few milliseconds), not wall-clock times, so the kills land mid-batch however fast
// the machine is: every sample ends up in the bucket exactly once, with one version per
// object, whose S3 SHA-256 equals the receipt; and the data directory never holds plaintext.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeWav } from '../audio';
import { writeDeployment } from '../aws/deployment';
import { emulatorCredentials, s3ClientConfig } from '../aws/target';
import { ensureNodeBundles } from '../build';
import { useTestEmulator } from '../emulator/test-emulator';
import { filesUnder, findPlaintextWindows, pcmForms, type NamedBytes } from '../evidence/plaintext-windows';
import type { LedgerEntry } from './sample-ledger';
import { referenceClip } from './testing';

const emulator = useTestEmulator();
const bin = fileURLToPath(new URL('../cli/bin.cjs', import.meta.url));

/** A small deterministic generator, so a failing run can be repeated from its printed seed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Run {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
  /** When the kill was sent, in ms after the start. */
  killedAtMs?: number;
}

/** Where to kill: `delayMs` after the `line`-th progress line on standard error (one per file and stage). */
interface KillPoint {
  line: number;
  delayMs: number;
}

function runIngest(args: string[], env: NodeJS.ProcessEnv, kill?: KillPoint): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, 'ingest', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killedAtMs: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (kill && timer === undefined && stderr.split('\n').length > kill.line) {
      timer = setTimeout(() => {
        killedAtMs = Date.now() - started;
        child.kill('SIGKILL');
      }, kill.delayMs);
    }
  });
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ...(signal === 'SIGKILL' && killedAtMs !== undefined ? { killedAtMs } : {}) });
    }),
  );
}

describe('a batch ingest killed at random points', () => {
  it('ends with every sample in the bucket exactly once, one version each, hashes equal to the receipts', async () => {
    await ensureNodeBundles(['cli']);
    const { deployment } = emulator();
    const dir = mkdtempSync(join(tmpdir(), 'voicevault-killed-'));
    const statePath = join(dir, 'state.json');
    await writeDeployment(statePath, deployment);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir); // a run killed before its first write leaves it empty, not missing
    const source = await decodeAudioFile(referenceClip('speech_en_16k.wav'));
    const files: string[] = [];
    const secrets: NamedBytes[] = [];
    for (let i = 0; i < 20; i++) {
      // Twenty distinct takes: the same speech at slightly different levels.
      const gain = 0.6 + i * 0.015;
      const samples = source.samples.map((s) => s * gain);
      const path = join(dir, `take-${String(i).padStart(2, '0')}.wav`);
      writeFileSync(path, encodeWav([samples], { sampleFormat: 'pcm-s16', sampleRate: source.sampleRate }));
      files.push(path);
      secrets.push({ name: path, bytes: readFileSync(path) }, ...pcmForms(path, samples));
    }
    const ada = deployment.demoUsers.find((u) => u.username === 'ada')!;
    const env = {
      ...process.env,
      VOICEVAULT_CLI: 'bundle',
      VOICEVAULT_STATE: statePath,
      VOICEVAULT_DATA: dataDir,
      VOICEVAULT_PASSWORD: ada.password,
    };
    const args = [...files, '--user', 'ada', '--accept-consent', '2026-11-01'];

    const seed = Date.now() % 100_000;
    const random = seeded(seed);
    const kills: number[] = [];
    for (let round = 0; round < 5; round++) {
      // A run prints two lines per file (analysing, then sealed or already uploaded) and two more per file
      // it uploads: at least 40, and the first two runs over 56, so those two are always killed.
      const point = { line: 1 + Math.floor(random() * 56), delayMs: Math.floor(random() * 40) };
      const run = await runIngest(args, env, point);
      if (run.killedAtMs === undefined) break; // it finished before the kill
      kills.push(run.killedAtMs);
      expect(findPlaintextWindows(secrets, await filesUnder(dataDir)), `after a kill at ${run.killedAtMs} ms (seed ${seed})`).toEqual([]);
    }
    // The test is about kills: a batch that was never killed proves nothing.
    expect(kills.length, `kills that landed (seed ${seed})`).toBeGreaterThanOrEqual(2);
    const final = await runIngest([...args, '--json'], env);
    expect(final.code, `${final.stderr} (seed ${seed}, kills at ${kills.join(', ')} ms)`).toBe(0);
    const results = (JSON.parse(final.stdout.trim().split('\n').pop()!) as { results: { file: string; status: string; sample: string }[] }).results;
    expect(results.map((r) => r.status).every((s) => s === 'uploaded' || s === 'already-uploaded')).toBe(true);
    expect(new Set(results.map((r) => r.sample)).size).toBe(20);

    // The receipts on disk, and what S3 holds.
    const sub = readdirSub(dataDir);
    const ledger = JSON.parse(readFileSync(join(dataDir, 'users', sub, 'ledger.json'), 'utf8')) as { entries: LedgerEntry[] };
    const uploaded = ledger.entries.filter((e) => e.state === 'uploaded');
    expect(uploaded.map((e) => e.sample).sort()).toEqual(results.map((r) => r.sample).sort());
    const s3 = new S3Client({ ...s3ClientConfig({ region: deployment.region, endpoint: deployment.endpoint! }), credentials: emulatorCredentials });
    try {
      const versions = [];
      for (const prefix of [`features/demo/${sub}/`, `manifests/demo/${sub}/`, `raw/demo/${sub}/`]) {
        const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: deployment.bucket, Prefix: prefix }));
        versions.push(...(listing.Versions ?? []));
      }
      const expectedKeys = uploaded.flatMap((e) => e.receipt!.objects.map((o) => o.key)).sort();
      expect(expectedKeys).toHaveLength(40);
      expect(versions.map((v) => v.Key!).sort(), `one version per object (seed ${seed})`).toEqual(expectedKeys);
      for (const entry of uploaded) {
        for (const object of entry.receipt!.objects) {
          const head = await s3.send(new HeadObjectCommand({ Bucket: deployment.bucket, Key: object.key, ChecksumMode: 'ENABLED' }));
          expect(head.ChecksumSHA256, object.key).toBe(object.sha256);
        }
      }
    } finally {
      s3.destroy();
    }
    expect(findPlaintextWindows(secrets, await filesUnder(dataDir))).toEqual([]);
    console.log(`killed-batch: seed ${seed}, SIGKILLs at ${kills.join(', ')} ms, then completed`);
  }, 300_000);
});

function readdirSub(dataDir: string): string {
  const users = readdirSync(join(dataDir, 'users'));
  expect(users).toHaveLength(1);
  return users[0]!;
}
