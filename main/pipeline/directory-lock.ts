// One process at a time per contractor folder: the outbox, the ledger and the audit chain each assume a
// single writer (two would fork the audit chain and could upload one entry twice), and the app and the CLI
// can both be pointed at the same data. The lock file holds its owner's pid. A lock whose process is gone
// (killed, crashed) is taken over at once: mtime-based lock libraries would make the next start wait until
// the lock goes stale. Workspaces in one process share the process's lock (counted).
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VoiceVaultError } from '../../shared/errors';
import { directoryMode, fileMode, outboxFileError } from '../outbox/durable-fs';

const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function releaser(path: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (held.get(path) ?? 1) - 1;
    if (count > 0) {
      held.set(path, count);
      return;
    }
    held.delete(path);
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
    } catch {
      // already gone: nothing to release
    }
  };
}

/** Takes `<dir>/lock` for this process; returns its release. Refuses, in plain words, while another process lives. */
export async function lockDirectory(dir: string): Promise<() => void> {
  const path = join(dir, 'lock');
  const count = held.get(path);
  if (count !== undefined) {
    held.set(path, count + 1);
    return releaser(path);
  }
  try {
    await mkdir(dir, { recursive: true, mode: directoryMode });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(path, `${process.pid}\n`, { flag: 'wx', mode: fileMode });
        held.set(path, 1);
        return releaser(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new VoiceVaultError(
          'Conflict',
          `VoiceVault is already working with this contractor's samples on this computer (process ${owner}). Close that window or wait for that command to finish, then try again; nothing was lost.`,
        );
      }
      await rm(path, { force: true }); // left behind by a process that is gone
    }
    throw new VoiceVaultError('Conflict', 'VoiceVault could not lock this contractor\u2019s samples folder: another start took it at the same moment. Try again.');
  } catch (error) {
    throw outboxFileError(error, 'lock this contractor\u2019s samples folder');
  }
}
