// `voicevault decrypt <object-key> [--out <file>]`: the training side opens one sealed object with the
// pipeline-reader role. The encryption context must match the object's key path, or nothing is written.
import { writeFile } from 'node:fs/promises';
import { isVoiceVaultError } from '../../shared/errors';
import { defaultStatePath, readDeployment } from '../aws/deployment';
import { parseCommandArgs, usageError, type CliCommand } from './command';
import { readerAccess } from './reader-access';

const usage = 'usage: voicevault decrypt <object-key> [--out <file>] [--state <state-file>]  (manifests print as JSON without --out)';

export const decryptCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs('decrypt', usage, args, { out: { type: 'string' }, state: { type: 'string' } }, io);
  if (typeof parsed === 'number') return parsed;
  const [key, extra] = parsed.positionals;
  if (!key || extra) return usageError(io, 'decrypt', 'give exactly one object key', usage);
  const out = parsed.values.out;
  if (!out && !key.startsWith('manifests/')) return usageError(io, 'decrypt', `${key} is binary; write it with --out <file>`);
  let access;
  try {
    access = readerAccess(await readDeployment(parsed.values.state ?? defaultStatePath()));
    const { plaintext, context } = await access.open(await access.getObject(key), key);
    if (out) {
      await writeFile(out, plaintext, { mode: 0o600 });
      io.stdout(`wrote ${out} (${plaintext.length} bytes; context ${JSON.stringify(context)})`);
    } else {
      io.stdout(new TextDecoder().decode(plaintext));
    }
    return 0;
  } catch (error) {
    io.stderr(`voicevault decrypt: ${key}: ${isVoiceVaultError(error) ? `${error.message} (${error.code})` : (error as Error).message}`);
    return 1;
  } finally {
    access?.close();
  }
};
