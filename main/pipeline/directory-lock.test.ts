// The contractor folder's lock against real processes: a living other process keeps it (plain-words
// Conflict), a killed one gives it up at once, and workspaces in one process share it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDirectory } from './directory-lock';

const root = mkdtempSync(join(tmpdir(), 'voicevault-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A real other process that lives until killed. */
async function otherProcess(): Promise<{ pid: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  return {
    pid: child.pid!,
    kill: () => new Promise((resolve) => child.once('exit', () => resolve()).kill('SIGKILL')),
  };
}

describe('the contractor folder lock', () => {
  it('refuses while another process holds it, naming it, and takes it over once that process is killed', async () => {
    const dir = join(root, 'held');
    const other = await otherProcess();
    try {
      await lockDirectory(dir).then((release) => release()); // creates the folder
      writeFileSync(join(dir, 'lock'), `${other.pid}\n`);
      await expect(lockDirectory(dir)).rejects.toMatchObject({
        code: 'Conflict',
        message: expect.stringMatching(new RegExp(`already working with this contractor's samples on this computer \\(process ${other.pid}\\).*nothing was lost`)),
      });
      expect(readFileSync(join(dir, 'lock'), 'utf8').trim()).toBe(String(other.pid));
    } finally {
      await other.kill();
    }
    const release = await lockDirectory(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('is shared by the workspaces of one process and let go when the last one closes', async () => {
    const dir = join(root, 'shared');
    const first = await lockDirectory(dir);
    const second = await lockDirectory(dir);
    first();
    first(); // a second release of the same hold changes nothing
    expect(existsSync(join(dir, 'lock'))).toBe(true);
    second();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('takes over a lock with garbage in it (a write cut short)', async () => {
    const dir = join(root, 'garbage');
    await lockDirectory(dir).then((release) => release());
    writeFileSync(join(dir, 'lock'), '');
    const release = await lockDirectory(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
  });
});
