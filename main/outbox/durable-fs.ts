// The file operations the outbox is built from: a file is written and fsynced before it is
// renamed into place, and the directory is fsynced after, so a crash or power cut leaves the old
// state or the new one, never a torn file.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';

export const fileMode = 0o600;
export const directoryMode = 0o700;

/** Creates `path` (it must not exist), writes `data` and fsyncs it; on failure nothing is left. */
export async function writeNewFileDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx', fileMode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
}

/** Makes a directory's entries (creations, renames, removals) durable. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `data` in one rename: readers see the old file or the new one. */
export async function replaceFileDurably(path: string, data: Uint8Array | string, directory: string): Promise<void> {
  const temporary = `${path}.${uniqueSuffix()}.tmp`;
  await writeNewFileDurably(temporary, data);
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

export function uniqueSuffix(): string {
  return randomBytes(6).toString('hex');
}

const fullDiskCodes = new Set(['ENOSPC', 'EDQUOT']);

/** Turns a file-system failure into a VoiceVault error; `doing` completes "… could not …". */
export function outboxFileError(error: unknown, doing: string): VoiceVaultError {
  if (isVoiceVaultError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (fullDiskCodes.has(code)) {
    return new VoiceVaultError('DiskFull', `The disk is full: VoiceVault could not ${doing}. Free some space and try again; nothing was lost.`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new VoiceVaultError('Internal', `VoiceVault could not ${doing}: ${message}`, { cause: error });
}
