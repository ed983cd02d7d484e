// A writer process SIGKILLed at random instants must leave every entry whole or absent.
// (SIGKILL keeps the page cache, so this shows the rename discipline, not fsync against power loss.)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from './index';

const fixture = fileURLToPath(new URL('./kill-writer.fixture.ts', import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Starts the writer, kills it `afterMs` after it is ready, and returns the samples it reported. */
async function runAndKill(dir: string, prefix: string, afterMs: number): Promise<{ added: string[]; removing: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    const check = () => (output.includes('ready\n') ? resolve() : undefined);
    child.stdout.on('data', check);
    child.once('exit', () => reject(new Error(`the writer exited before it was ready: ${errors}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const lines = output.split('\n');
  return {
    added: lines.filter((l) => l.startsWith('added ')).map((l) => l.slice(6)),
    removing: lines.filter((l) => l.startsWith('removing ')).map((l) => l.slice(9)),
  };
}

async function leftoversExist(dir: string): Promise<boolean> {
  if ((await readdir(join(dir, '.incoming'))).length > 0) return true;
  for (const sample of await readdir(join(dir, 'entries'))) {
    if ((await readdir(join(dir, 'entries', sample))).some((name) => name.endsWith('.tmp'))) return true;
  }
  return false;
}

describe('an outbox whose writer is killed at random instants', () => {
  it('holds every sample it acknowledged, each whole, and nothing half-written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voicevault-kill-'));
    dirs.push(dir);
    const acknowledged = new Set<string>();
    const removing = new Set<string>();
    let interrupted = 0; // rounds killed between a temporary write and its rename
    for (let round = 0; round < 8; round++) {
      const delay = 30 + Math.floor(Math.random() * 250);
      const report = await runAndKill(dir, `01JKILL${String(round).padStart(2, '0')}R`, delay);
      report.added.forEach((s) => acknowledged.add(s));
      report.removing.forEach((s) => removing.add(s));
      if (await leftoversExist(dir)) interrupted += 1;

      const outbox = await Outbox.open(dir);
      const entries = await outbox.list();
      const present = new Set(entries.map((e) => e.sample));
      for (const sample of acknowledged) {
        if (!removing.has(sample)) expect(present.has(sample), `acknowledged ${sample} after round ${round}`).toBe(true);
      }
      for (const entry of entries) {
        for (const object of entry.objects) {
          const bytes = await outbox.readObject(entry.sample, object.key);
          expect(bytes.length).toBe(object.bytes);
          expect(createHash('sha256').update(bytes).digest('base64'), `${object.key} after round ${round}`).toBe(object.sha256);
        }
        const files = (await readdir(join(dir, 'entries', entry.sample))).sort();
        expect(files).toEqual([...entry.objects.map((o) => o.file), 'entry.json'].sort());
      }
      // Nothing but whole entries: every directory under entries/ is a listed entry.
      expect((await readdir(join(dir, 'entries'))).sort()).toEqual([...present].sort());
      expect(await readdir(join(dir, '.incoming'))).toEqual([]);
    }
    expect(acknowledged.size).toBeGreaterThan(8);
    console.log(`kill test: ${acknowledged.size} samples acknowledged; ${interrupted} of 8 kills left a temporary write behind`);
  });
});
