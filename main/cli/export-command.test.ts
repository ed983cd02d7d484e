// `voicevault export` in-process against a real moto server, with samples sealed and put directly (as ingest
// would have) so the command's own behaviour is what is timed and checked here; main/training/export.test.ts
// covers the dataset itself with clips ingested through the real pipeline.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDeployment } from '../aws/deployment';
import { useTestEmulator } from '../emulator/test-emulator';
import { adminBucket, seedSealedSamples, type AdminBucket, type SeededSample } from '../training/testing';
import type { CliIo } from './command';
import { runCli } from './index';

const emulator = useTestEmulator();
const dir = mkdtempSync(join(tmpdir(), 'voicevault-export-cli-'));
const statePath = join(dir, 'state.json');
let admin: AdminBucket;
let seeded: SeededSample[];

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '' };
}

beforeAll(async () => {
  await writeDeployment(statePath, emulator().deployment);
  admin = adminBucket(emulator().deployment, emulator().adminTarget);
  seeded = await seedSealedSamples(admin, 6, { frames: 10 });
});
afterAll(() => admin?.close());

const out = (name: string) => join(dir, name);

describe('voicevault export', () => {
  it('explains its usage and refuses bad options with exit code 2', async () => {
    const help = io();
    expect(await runCli(['export', '--help'], help)).toBe(0);
    expect(help.out.join('\n')).toMatch(/^usage: voicevault export --out <dir>/);
    const cases: [string[], RegExp][] = [
      [[], /missing --out <dir>/],
      [['--out', out('x'), '--shard', '2'], /--shard "2" is not valid/],
      [['--out', out('x'), '--shard', '2/2'], /shard 2 does not exist among 2/],
      [['--out', out('x'), '--since', 'last tuesday'], /--since "last tuesday" is not an ISO date/],
      [['--out', out('x'), '--concurrency', 'many'], /--concurrency "many" is not a whole number/],
      [['--out', out('x'), '--bucket', 'b'], /Unknown option '--bucket'/],
      [['--out', out('x'), 'extra'], /unexpected argument "extra"/],
    ];
    for (const [args, why] of cases) {
      const run = io();
      expect(await runCli(['export', ...args], run), args.join(' ')).toBe(2);
      expect(run.err.join('\n'), args.join(' ')).toMatch(why);
      expect(run.err.join('\n')).toMatch(/usage: voicevault export/);
    }
  });

  it('exports, prints one summary line, and exports nothing the second time', async () => {
    const first = io();
    expect(await runCli(['export', '--out', out('all'), '--state', statePath], first), first.err.join('\n')).toBe(0);
    expect(first.out.join('\n')).toMatch(/^export 0\/1: 6 exported, 0 already there, 0 rejected; 6 manifests listed, 12 objects fetched in \d+\.\d s → /);
    const index = readFileSync(join(out('all'), 'index.jsonl'), 'utf8').trim().split('\n');
    expect(index.map((l) => (JSON.parse(l) as { sample: string }).sample).sort()).toEqual(seeded.map((s) => s.sample).sort());

    const second = io();
    expect(await runCli(['export', '--out', out('all'), '--state', statePath, '--json'], second)).toBe(0);
    expect(JSON.parse(second.out.join(''))).toMatchObject({ exported: 0, already_exported: 6, objects_fetched: 0, rejected: 0 });
  });

  it('takes its shard from AWS_BATCH_JOB_ARRAY_INDEX with --shard env/2', async () => {
    process.env.AWS_BATCH_JOB_ARRAY_INDEX = '1';
    const run = io();
    try {
      expect(await runCli(['export', '--out', out('shard1'), '--shard', 'env/2', '--state', statePath, '--json'], run), run.err.join('\n')).toBe(0);
    } finally {
      delete process.env.AWS_BATCH_JOB_ARRAY_INDEX;
    }
    const inShardOne = seeded.filter((s) => createHash('sha256').update(s.sample).digest().readUInt32BE(0) % 2 === 1);
    expect(JSON.parse(run.out.join(''))).toMatchObject({ shard: '1/2', exported: inShardOne.length, skipped: 6 - inShardOne.length });
  });

  it('exports only the partition asked for', async () => {
    const run = io();
    expect(await runCli(['export', '--out', out('other'), '--partition', 'other', '--state', statePath, '--json'], run)).toBe(0);
    expect(JSON.parse(run.out.join(''))).toMatchObject({ partition: 'other', listed: 0, exported: 0 });
  });

  it('exports only manifests stored at or after --since', async () => {
    const later = io();
    expect(await runCli(['export', '--out', out('since-later'), '--since', '2999-01-01', '--state', statePath, '--json'], later)).toBe(0);
    expect(JSON.parse(later.out.join(''))).toMatchObject({ since: '2999-01-01T00:00:00.000Z', listed: 6, skipped: 6, exported: 0, objects_fetched: 0 });
    const earlier = io();
    expect(await runCli(['export', '--out', out('since-earlier'), '--since', '2020-01-01T00:00:00Z', '--state', statePath, '--json'], earlier)).toBe(0);
    expect(JSON.parse(earlier.out.join(''))).toMatchObject({ listed: 6, skipped: 0, exported: 6 });
  });

  it('exits 1 and names the object when a sample is rejected', async () => {
    const victim = seeded[0]!;
    await admin.put(victim.manifestKey, new TextEncoder().encode('not a sealed message'));
    const run = io();
    expect(await runCli(['export', '--out', out('rejected'), '--state', statePath], run)).toBe(1);
    const text = run.out.join('\n');
    expect(text).toMatch(/5 exported, 0 already there, 1 rejected/);
    expect(text).toContain(`rejected ${victim.manifestKey} (message-integrity): `);
    expect(JSON.parse(readFileSync(join(out('rejected'), 'rejected.jsonl'), 'utf8'))).toMatchObject({ key: victim.manifestKey, sample: victim.sample, code: 'IntegrityError' });
  });

  it('says in plain words when there is no deployment to read', async () => {
    const run = io();
    expect(await runCli(['export', '--out', out('none'), '--state', join(dir, 'missing.json')], run)).toBe(1);
    expect(run.err.join('\n')).toMatch(/^voicevault export: No VoiceVault state file at .*missing\.json.*\(StateFileMissing\)$/);
  });
});
