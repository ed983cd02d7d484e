// `voicevault ingest` and `voicevault decrypt` run in-process against a real moto server, with the
// password on "standard input" as a user would pipe it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDeployment } from '../aws/deployment';
import { emulatorCredentials, s3ClientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { extractFeaturesFromFile } from '../features';
import { storedFeatureBytes } from '../pipeline/stored-features';
import { referenceClip } from '../pipeline/testing';
import type { CliIo } from './command';
import { runCli } from './index';

const emulator = useTestEmulator();
const dir = mkdtempSync(join(tmpdir(), 'voicevault-ingest-cli-'));
const statePath = join(dir, 'state.json');
const dataDir = join(dir, 'data');
const speech = [referenceClip('speech_en_16k.wav'), referenceClip('speech_de_22k.wav')];

function io(stdin = ''): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => stdin };
}

const password = (): string => emulator().deployment.demoUsers.find((u) => u.username === 'ada')!.password;
const common = (): string[] => ['--user', 'ada', '--password-stdin', '--state', statePath, '--data-dir', dataDir];

beforeAll(async () => writeDeployment(statePath, emulator().deployment));

describe('voicevault ingest', () => {
  it('asks for consent once, naming the flag that accepts it', async () => {
    const run = io(`${password()}\n`);
    expect(await runCli(['ingest', speech[0]!, ...common()], run)).toBe(1);
    expect(run.err.join('\n')).toMatch(/asks for your consent \(version 2026-11-01\)[\s\S]*--accept-consent 2026-11-01/);
  });

  it('uploads good files, rejects a noisy one with its reason, prints receipts, and exits 1 for the rejection', async () => {
    const run = io(`${password()}\n`);
    const code = await runCli(['ingest', ...speech, referenceClip('noise_16k.wav'), ...common(), '--accept-consent', '2026-11-01'], run);
    const text = run.out.join('\n');
    expect(code, run.err.join('\n')).toBe(1);
    expect(text).toMatch(/speech_en_16k\.wav: uploaded \(sample [0-9A-Z]{26}\)/);
    expect(text).toMatch(/speech_de_22k\.wav: uploaded/);
    expect(text).toMatch(/noise_16k\.wav: rejected: too noisy/);
    expect(text).toMatch(/features\/demo\/[0-9a-f-]+\/[0-9A-Z]{26}\.speech16k\.sealed/);
    expect(text.match(/manifests\/demo\//g)).toHaveLength(2);
    // Not a terminal here: progress is a line per file and stage, never a bar template with a gap.
    const progress = run.err.join('\n');
    expect(progress).toContain(`${speech[0]}: analysing\n${speech[0]}: sealed`);
    expect(progress).toContain(`${speech[1]}: uploaded`);
    expect(progress).toContain(`${referenceClip('noise_16k.wav')}: rejected`);
    expect(progress).not.toMatch(/\{\w+\}/);
  });

  it('skips what this device already uploaded when run again', async () => {
    const run = io(`${password()}\n`);
    expect(await runCli(['ingest', ...speech, ...common(), '--json'], run)).toBe(0);
    const { results } = JSON.parse(run.out.at(-1)!) as { results: { status: string; receipt: { objects: unknown[] } }[] };
    expect(results.map((r) => r.status)).toEqual(['already-uploaded', 'already-uploaded']);
    expect(results.every((r) => r.receipt.objects.length === 2)).toBe(true);
  });

  it('never takes a password as an argument, and explains its usage', async () => {
    for (const args of [['ingest', speech[0]!, '--user', 'ada', '--password', 'x'], ['ingest', speech[0]!], ['ingest', '--user', 'ada']]) {
      const run = io();
      expect(await runCli(args, run)).toBe(2);
      expect(run.err.join('\n')).toMatch(/^voicevault ingest: [\s\S]*usage:/);
    }
  });

  it('says the password is wrong in plain words', async () => {
    const run = io('Not-the-password-1!\n');
    expect(await runCli(['ingest', speech[0]!, ...common()], run)).toBe(1);
    expect(run.err.join('\n')).toMatch(/user name or password is wrong/);
  });

  it('refuses, in plain words, while another process (the app, say) works with the same samples, and goes on once it is gone', async () => {
    const [sub] = readdirSync(join(dataDir, 'users'));
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('spawn', resolve));
    writeFileSync(join(dataDir, 'users', sub!, 'lock'), `${other.pid}\n`);
    try {
      const run = io(`${password()}\n`);
      expect(await runCli(['ingest', speech[0]!, ...common()], run)).toBe(1);
      expect(run.err.join('\n')).toMatch(new RegExp(`already working with this contractor's samples on this computer \\(process ${other.pid}\\)`));
    } finally {
      await new Promise((resolve) => other.once('exit', resolve).kill('SIGKILL'));
    }
    const again = io(`${password()}\n`);
    expect(await runCli(['ingest', speech[0]!, ...common()], again), again.err.join('\n')).toBe(0);
  });
});

describe('voicevault decrypt (the training side)', () => {
  async function uploadedKeys(): Promise<{ features: string; manifest: string }> {
    const run = io(`${password()}\n`);
    await runCli(['ingest', speech[0]!, ...common(), '--json'], run);
    const { results } = JSON.parse(run.out.at(-1)!) as { results: { receipt: { objects: { key: string }[] } }[] };
    const keys = results[0]!.receipt.objects.map((o) => o.key);
    return { features: keys.find((k) => k.startsWith('features/'))!, manifest: keys.find((k) => k.startsWith('manifests/'))! };
  }

  it('prints a manifest and writes features equal to those computed locally', async () => {
    const { features, manifest } = await uploadedKeys();
    const shown = io();
    expect(await runCli(['decrypt', manifest, '--state', statePath], shown)).toBe(0);
    expect(JSON.parse(shown.out.join(''))).toMatchObject({ format: 'voicevault-manifest/1', partition: 'demo', preset: 'speech16k', tier: 'log-mel' });
    const out = join(dir, 'features.safetensors');
    const written = io();
    expect(await runCli(['decrypt', features, '--out', out, '--state', statePath], written)).toBe(0);
    const local = storedFeatureBytes(await extractFeaturesFromFile(speech[0]!, 'speech16k'), 'log-mel');
    expect(readFileSync(out).equals(Buffer.from(local))).toBe(true);
  });

  it('refuses an object moved to another sample key: the context names where it was sealed', async () => {
    const { features } = await uploadedKeys();
    const moved = features.replace(/\/[0-9A-Z]{26}\./, '/01ARZ3NDEKTSV4RRFFQ69G5FAV.');
    const { deployment } = emulator();
    const s3 = new S3Client({ ...s3ClientConfig({ region: deployment.region, endpoint: deployment.endpoint! }), credentials: emulatorCredentials });
    await s3.send(new CopyObjectCommand({ Bucket: deployment.bucket, Key: moved, CopySource: `${deployment.bucket}/${features}` }));
    s3.destroy();
    const run = io();
    expect(await runCli(['decrypt', moved, '--out', join(dir, 'moved.safetensors'), '--state', statePath], run)).toBe(1);
    expect(run.err.join('\n')).toMatch(/ContextMismatch/);
  });
});

describe('voicevault audit verify', () => {
  const auditPath = (): string => {
    const users = readdirSync(join(dataDir, 'users'));
    return join(dataDir, 'users', users[0]!, 'audit.jsonl');
  };

  it('finds the chain intact and every object in the bucket named by it, except the one copied under another key', async () => {
    const run = io();
    expect(await runCli(['audit', 'verify', '--data-dir', dataDir, '--bucket', '--state', statePath, '--json'], run), run.err.join('\n')).toBe(1);
    const report = JSON.parse(run.out.at(-1)!) as { chain: { ok: boolean; records: number }; bucket: { ok: boolean; checked: number; problems: { key: string }[] } };
    expect(report.chain).toMatchObject({ ok: true });
    // Two samples sealed and uploaded (the decrypt tests' re-runs were skipped): four records, four objects + the copy.
    expect(report.chain.records).toBe(4);
    expect(report.bucket.checked).toBe(5);
    // The object the decrypt test copied to another sample's key carries an audit head whose record names another key.
    expect(report.bucket.problems.map((p) => p.key)).toEqual([expect.stringMatching(/\/01ARZ3NDEKTSV4RRFFQ69G5FAV\.speech16k\.sealed$/)]);
  });

  it('shows an edited line locally, and a truncated log against the bucket', async () => {
    const original = readFileSync(auditPath(), 'utf8');
    const lines = original.trimEnd().split('\n');
    try {
      writeFileSync(auditPath(), `${lines.map((l, i) => (i === 1 ? l.replace('"sealed"', '"discarded"') : l)).join('\n')}\n`);
      const edited = io();
      expect(await runCli(['audit', 'verify', '--data-dir', dataDir], edited)).toBe(1);
      expect(edited.out.join('\n')).toMatch(/line 2: /);

      // Dropping the newest records leaves a chain that is intact on its own, but the bucket still
      // holds objects whose audit heads it no longer contains.
      const lastSealed = lines.map((l) => JSON.parse(l) as { action: string }).map((r) => r.action).lastIndexOf('sealed');
      writeFileSync(auditPath(), `${lines.slice(0, lastSealed).join('\n')}\n`);
      const truncated = io();
      expect(await runCli(['audit', 'verify', '--data-dir', dataDir, '--bucket', '--state', statePath], truncated)).toBe(1);
      expect(truncated.out.join('\n')).toMatch(/chain intact/);
      expect(truncated.out.join('\n')).toMatch(/bucket: \d+ objects checked, [1-9]\d* problems/);
    } finally {
      writeFileSync(auditPath(), original);
    }
  });
});
