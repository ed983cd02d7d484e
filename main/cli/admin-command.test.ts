// `voicevault admin …` in-process against a real moto server, with passwords on "standard input" as a
// user pipes them: an admin creates p2 from a prompt TSV and assigns grace, grace ingests into p2 with
// p2's consent, the lifecycle holds every partition's rule; non-admins are refused; malformed input is
// refused before any sign-in and changes nothing; revoke and erase; the access review as CSV.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDeployment } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { referenceClip } from '../pipeline/testing';
import type { CliIo } from './command';
import { runCli } from './index';

const emulator = useTestEmulator();
const dir = mkdtempSync(join(tmpdir(), 'voicevault-admin-cli-'));
const statePath = join(dir, 'state.json');
const dataDir = join(dir, 'data');
const bin = fileURLToPath(new URL('./bin.cjs', import.meta.url));
let s3: S3Client;

function io(stdin = ''): CliIo & { out: string[]; err: string[]; text: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, text: () => [...out, ...err].join('\n'), stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => stdin };
}
const password = (user: string): string => `${emulator().deployment.demoUsers.find((u) => u.username === user)!.password}\n`;
const as = (user: string): string[] => ['--user', user, '--password-stdin', '--state', statePath, '--data-dir', dataDir];

/** Runs `voicevault admin …` as the demo admin; returns the exit code and what it printed. */
async function admin(args: string[], user = 'admin'): Promise<{ code: number; out: string; err: string }> {
  const run = io(password(user));
  const code = await runCli(['admin', ...args, ...as(user)], run);
  return { code, out: run.out.join('\n'), err: run.err.join('\n') };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function keys(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: emulator().deployment.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

const prompts = file('p2-prompts.tsv', 'id\ttext\nn1\tThe quick brown fox jumps over the lazy dog.\nn2\tSeven slippery seals slid silently into the sea.\n');
const consent = file('p2-consent.txt', 'I agree that partition two keeps my sealed raw audio for 120 days.\n');
const createP2 = ['partition', 'create', '--id', 'p2', '--name', 'Partition two', '--prompts', prompts, '--consent-version', 'p2-2026', '--consent-file', consent, '--keep-raw', 'yes', '--glacier-days', '14', '--expire-days', '120', '--tier', 'mfcc'];

beforeAll(async () => {
  await writeDeployment(statePath, emulator().deployment);
  s3 = new S3Client(s3ClientConfig(emulator().adminTarget));
});
afterAll(() => s3?.destroy());

describe('voicevault admin: help and refusals', () => {
  it('explains itself and each command without signing in', async () => {
    const overview = io();
    expect(await runCli(['admin', '--help'], overview)).toBe(0);
    expect(overview.text()).toMatch(/partition create[\s\S]*lifecycle apply[\s\S]*contractor revoke[\s\S]*contractor erase[\s\S]*access-review/);
    const create = io();
    expect(await runCli(['admin', 'partition', 'create', '--help'], create)).toBe(0);
    expect(create.text()).toMatch(/^usage: voicevault admin partition create --id <id>[\s\S]*--glacier-days <N> --expire-days <M>[\s\S]*--password-stdin/);
    const unknown = io();
    expect(await runCli(['admin', 'partition', 'delete', 'p2'], unknown)).toBe(2);
    expect(unknown.err.join('\n')).toMatch(/^voicevault admin: unknown command 'partition delete'/);
  });

  it('refuses malformed partitions precisely, before asking for a password, and changes nothing', async () => {
    const dupes = file('dupes.tsv', 'n1\tOne.\nn2\tTwo.\nn1\tAgain.\n');
    const empty = file('empty.tsv', '\n');
    const huge = file('huge.tsv', `n1\t${'x'.repeat(1024 * 1024)}\n`);
    // Each case replaces one flag of the valid command (a negative number must be written --flag=-5).
    const cases: [string[], string][] = [
      [['--id', 'P 2'], 'id: a partition id is 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit (got "P 2")'],
      [['--glacier-days=-5'], 'rawGlacierDays: must be at least 1 day (got -5)'],
      [['--glacier-days', '400'], 'rawGlacierDays: raw audio would move to Glacier after 400 days but expire after 120; rawGlacierDays must be below rawExpireDays'],
      [['--expire-days', 'soon'], 'rawExpireDays: must be a number of days (got "soon")'],
      [['--prompts', dupes], 'line 3: prompt id "n1" is already used on line 1'],
      [['--prompts', empty], 'The prompt file has problems:\n  the file holds no prompts'],
      [['--prompts', huge], 'The prompt file is 1048580 bytes; at most 1048576 bytes (1 MiB) are accepted.'],
      [['--prompts', join(dir, 'missing.tsv')], `Cannot read the prompt file ${join(dir, 'missing.tsv')}: there is no such file.`],
      [['--tier', 'mel'], 'featureTier: the feature tier is one of log-mel, mfcc, summary (got "mel")'],
    ];
    for (const [change, message] of cases) {
      const flag = change[0]!.split('=')[0]!;
      const args = [...createP2];
      args.splice(args.indexOf(flag), 2, ...change);
      // No password on stdin: a command that got as far as signing in would fail for want of one.
      const run = io('');
      expect(await runCli(['admin', ...args, '--user', 'admin', '--password-stdin', '--state', statePath, '--data-dir', dataDir], run), change.join(' ')).toBe(1);
      expect(run.err.join('\n')).toContain(message);
      expect(run.err.join('\n')).not.toMatch(/password/i);
    }
    const badFlag = io('');
    expect(await runCli(['admin', ...createP2, '--keep-raw', 'maybe', ...as('admin')], badFlag)).toBe(2);
    expect(badFlag.err.join('\n')).toMatch(/^voicevault admin partition create: --keep-raw takes yes or no \(got "maybe"\)\nusage:/);
    expect(await keys('config/partitions/')).toEqual(['config/partitions/demo.json']);
  });

  it('refuses every admin command to a contractor, in plain words', async () => {
    for (const args of [['partition', 'list'], createP2, ['contractor', 'revoke', 'grace'], ['access-review']]) {
      const result = await admin(args, 'ada');
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/^voicevault admin [a-z -]+: Only admins may do this, and ada is not in the admins group\. \(AccessDenied\)$/);
    }
    expect(await keys('config/partitions/')).toEqual(['config/partitions/demo.json']);
  });
});

describe('voicevault admin: a new partition from create to erase', () => {
  let graceSub: string;

  it('creates p2 from flags and a prompt TSV, and the lifecycle holds its rule and every other partition’s', async () => {
    const created = await admin(createP2);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toBe(
      [
        'Created partition p2 (Partition two): 2 prompts, consent version p2-2026, tier mfcc, raw audio kept: Glacier after 14 days, deleted after 120.',
        "Bucket lifecycle: every partition's rule in place (1 write).",
      ].join('\n'),
    );
    const again = await admin(createP2);
    expect(again.code).toBe(1);
    expect(again.err).toBe('voicevault admin partition create: Partition p2 already exists. Change it with update instead. (AlreadyExists)');

    const shown = await admin(['lifecycle', 'show', '--json']);
    const { rules } = JSON.parse(shown.out) as { rules: { id: string; summary: string }[] };
    expect(rules.map((r) => r.id)).toEqual(['voicevault-abort-incomplete-multipart', 'voicevault-expire-noncurrent-versions', 'voicevault-raw-demo', 'voicevault-raw-p2']);
    expect(rules.find((r) => r.id === 'voicevault-raw-p2')!.summary).toBe('Objects under raw/p2/: to Glacier after 14 days; deleted after 120 days.');

    const listed = await admin(['partition', 'prompts', 'p2']);
    expect(listed.out).toBe('n1\tThe quick brown fox jumps over the lazy dog.\nn2\tSeven slippery seals slid silently into the sea.');
  });

  it('keeps both changes when two admins update p2 at the same moment', async () => {
    // Two admins, two machines: each with their own data folder.
    const elsewhere = async (args: string[], folder: string) => {
      const run = io(password('admin'));
      const code = await runCli(['admin', ...args, '--user', 'admin', '--password-stdin', '--state', statePath, '--data-dir', join(dir, folder)], run);
      return { code, err: run.err.join('\n') };
    };
    const [renamed, switched] = await Promise.all([
      elsewhere(['partition', 'update', 'p2', '--name', 'Partition two (EN)'], 'admin-one'),
      elsewhere(['partition', 'update', 'p2', '--listen-before-submit', 'yes'], 'admin-two'),
    ]);
    expect([renamed.code, switched.code], renamed.err + switched.err).toEqual([0, 0]);
    const shown = JSON.parse((await admin(['partition', 'show', 'p2', '--json'])).out) as { partition: { name: string; listenBeforeSubmit?: boolean } };
    expect(shown.partition).toMatchObject({ name: 'Partition two (EN)', listenBeforeSubmit: true });
  });

  it("replaces p2's prompts from a TSV and shows what its contractors may do", async () => {
    const replaced = await admin(['partition', 'prompts', 'p2', '--import', file('p2-more.tsv', 'n1\tThe quick brown fox jumps over the lazy dog.\nn2\tSeven slippery seals slid silently into the sea.\nn3\tA third prompt.\n')]);
    expect(replaced.out).toBe('Partition p2 now has 3 prompts.');
    const bad = await admin(['partition', 'prompts', 'p2', '--import', file('p2-bad.tsv', 'n1\tOne.\nn2\n')]);
    expect(bad.err).toBe('voicevault admin partition prompts: The prompt file has problems:\n  line 2: expected <id><TAB><text>, found 1 field (InvalidPartition)');
    const shown = await admin(['partition', 'show', 'p2']);
    expect(shown.out).toContain('"id": "n3"');
    expect(shown.out).toContain('lifecycle: Objects under raw/p2/: to Glacier after 14 days; deleted after 120 days.');
    expect(shown.out).toContain('  + Upload raw audio, sealed, under raw/p2/<their id>/: it moves to Glacier after 14 days and is deleted after 120.');
    expect(shown.out).toMatch(/and may not:\n {2}- Overwrite or delete anything/);
  });

  it('assigns grace; her fresh sign-in sees p2’s consent and prompts, and her samples land under p2', async () => {
    const assigned = await admin(['partition', 'assign', 'grace', 'p2']);
    expect(assigned.out).toBe('grace now belongs to p2 (was demo; signed out everywhere). It applies at their next sign-in.');

    const graceData = join(dir, 'grace');
    const ask = io(password('grace'));
    expect(await runCli(['ingest', referenceClip('speech_en_16k.wav'), '--user', 'grace', '--password-stdin', '--state', statePath, '--data-dir', graceData, '--prompt', 'n1'], ask)).toBe(1);
    expect(ask.err.join('\n')).toContain('partition p2 asks for your consent (version p2-2026):\n  I agree that partition two keeps my sealed raw audio for 120 days.');

    const run = io(password('grace'));
    const code = await runCli(['ingest', referenceClip('speech_en_16k.wav'), '--user', 'grace', '--password-stdin', '--state', statePath, '--data-dir', graceData, '--prompt', 'n1', '--accept-consent', 'p2-2026', '--json'], run);
    expect(code, run.err.join('\n')).toBe(0);
    const { results } = JSON.parse(run.out.at(-1)!) as { results: { receipt: { objects: { key: string }[] } }[] };
    const uploaded = results[0]!.receipt.objects.map((o) => o.key).sort();
    graceSub = uploaded[0]!.split('/')[2]!;
    expect(uploaded.map((k) => k.replace(graceSub, '<grace>').replace(/[0-9A-Z]{26}/, '<sample>'))).toEqual([
      'features/p2/<grace>/<sample>.speech16k.sealed',
      'manifests/p2/<grace>/<sample>.sealed',
      'raw/p2/<grace>/<sample>.sealed',
    ]);

    const { partitions } = JSON.parse((await admin(['partition', 'list', '--json'])).out) as { partitions: { id: string; status: { contractors: number; samples: number; bytes: number } }[] };
    expect(partitions.map((p) => [p.id, p.status.contractors, p.status.samples])).toEqual([
      ['demo', 1, 0],
      ['p2', 1, 1],
    ]);
    expect(partitions[1]!.status.bytes).toBeGreaterThan(10_000);
  });

  it('revokes grace: her next sign-in is refused with a clear message', async () => {
    const revoked = await admin(['contractor', 'revoke', 'grace']);
    expect(revoked.out).toBe('grace is disabled and signed out everywhere.');
    const run = io(password('grace'));
    expect(await runCli(['ingest', referenceClip('speech_en_16k.wav'), '--user', 'grace', '--password-stdin', '--state', statePath, '--data-dir', join(dir, 'grace')], run)).toBe(1);
    expect(run.err.join('\n')).toBe('voicevault ingest: Could not sign in as grace: your account is disabled. Please ask your admin. (UserDisabled)');
  });

  it('erases grace only when confirmed, prints what was removed, and the deletion feed lists her sample', async () => {
    const unconfirmed = await admin(['contractor', 'erase', 'grace']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toMatch(/erasing cannot be undone: repeat the contractor with --confirm grace/);
    expect(await keys(`raw/p2/${graceSub}/`)).toHaveLength(1);

    const erased = await admin(['contractor', 'erase', 'grace', '--confirm', 'grace']);
    expect(erased.code, erased.err).toBe(0);
    expect(erased.out).toMatch(new RegExp(`^Erased grace \\(${graceSub}\\), reason contractor-erased: 3 object versions, \\d+ bytes, 1 samples\\.\\n {2}p2: [0-9A-Z]{26}\\n`));
    for (const top of ['raw', 'features', 'manifests']) expect(erased.out).toContain(`${top}/p2/${graceSub}/`);
    for (const top of ['raw', 'features', 'manifests']) expect(await keys(`${top}/p2/${graceSub}/`)).toEqual([]);
    const sample = /p2: ([0-9A-Z]{26})/.exec(erased.out)![1]!;
    const [feedKey] = await keys('deletions/');
    const record = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: emulator().deployment.bucket, Key: feedKey! }))).Body!.transformToString()) as { partition: string; samples: string[]; reason: string };
    expect(record).toMatchObject({ partition: 'p2', samples: [sample], reason: 'contractor-erased' });
    expect(erased.out).toContain(`Deletion feed: ${feedKey}`);
  });

  it('exports the access review as CSV: grace disabled, everyone else active', async () => {
    const out = join(dir, 'review.csv');
    const written = await admin(['access-review', '--out', out]);
    expect(written.out).toBe(`Access review of 3 users written to ${out} (0 idle).`);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.username, r.role, r.partition, r.status, r.idle])).toEqual([
      ['ada', 'contractor', 'demo', 'active', 'no'],
      ['grace', 'contractor', 'p2', 'disabled', 'no'],
      ['admin', 'admin', '', 'active', 'no'],
    ]);
    const badIdle = await admin(['access-review', '--idle-days', 'thirty']);
    expect(badIdle.err).toBe('voicevault admin access-review: --idle-days takes a whole number of days (got "thirty"). (InvalidArgument)');
  });

  it('takes a contractor out of their partition, signing them out everywhere', async () => {
    expect((await admin(['partition', 'unassign', 'ada'])).out).toBe('ada no longer belongs to demo and was signed out everywhere.');
    expect((await admin(['partition', 'unassign', 'ada'])).out).toBe('ada belongs to no partition; nothing was changed.');
    expect((await admin(['partition', 'assign', 'ada', 'demo'])).out).toBe('ada now belongs to demo. It applies at their next sign-in.');
  });

  it('runs from the voicevault bin as users run it: the access review on standard output as CSV', async () => {
    const child = spawn(process.execPath, [bin, 'admin', 'access-review', '--csv', ...as('admin')], { env: { ...process.env, VOICEVAULT_CLI: 'source' }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(password('admin'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')[0]).toBe('username,role,partition,status,last_activity,last_activity_source,idle_days,idle');
    expect((parse(stdout, { columns: true }) as unknown[]).length).toBe(3);
  });
});
