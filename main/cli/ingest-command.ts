// `voicevault ingest <files…> --user <name> [--password-stdin] [--prompt <id>] [--accept-consent <version>] [--json]`
// Imports audio files as one contractor: each is decoded, checked against the partition's
// requirements, sealed and queued, then the outbox is uploaded with one progress bar per file and a
// receipt table at the end. Re-running skips what this device already uploaded.
import Table from 'cli-table3';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import type { Receipt } from '../../shared/domain';
import type { IngestOutcome } from '../pipeline/ingest';
import { parseCommandArgs, usageError, type CliCommand, type CliIo } from './command';
import { openCliSession } from './cli-session';
import { batchProgress, type FileProgress } from './file-progress';

const usage = `usage: voicevault ingest <audio-files…> --user <name> [--password-stdin] [--prompt <id>] [--accept-consent <version>] [--json]
  The password comes from standard input (--password-stdin) or VOICEVAULT_PASSWORD, never an argument.`;

export interface FileResult {
  file: string;
  sample?: string;
  status: 'uploaded' | 'already-uploaded' | 'rejected' | 'failed';
  reasons: string[];
  receipt?: Receipt;
}

function receiptTable(results: FileResult[]): string {
  const table = new Table({ head: ['sample', 'object', 'bytes', 'SHA-256 (base64)'], style: { head: [], border: [] } });
  for (const r of results) for (const o of r.receipt?.objects ?? []) table.push([r.sample ?? '', o.key, String(o.bytes), o.sha256]);
  return table.toString();
}

export const ingestCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    'ingest',
    usage,
    args,
    {
      user: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      prompt: { type: 'string' },
      'accept-consent': { type: 'string' },
      json: { type: 'boolean' },
      state: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals: files } = parsed;
  if (!values.user || files.length === 0) return usageError(io, 'ingest', !values.user ? 'missing --user' : 'no audio files given', usage);
  try {
    const results = await ingestFiles(io, files, {
      username: values.user,
      ...(values['password-stdin'] ? { passwordStdin: true } : {}),
      ...(values.prompt ? { promptId: values.prompt } : {}),
      ...(values['accept-consent'] ? { acceptConsent: values['accept-consent'] } : {}),
      ...(values.state ? { statePath: values.state } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    });
    if (values.json) io.stdout(JSON.stringify({ results }));
    else {
      for (const r of results) {
        const what = r.status === 'rejected' || r.status === 'failed' ? `${r.status}: ${r.reasons.join('; ')}` : r.status;
        io.stdout(`${r.file}: ${what}${r.sample ? ` (sample ${r.sample})` : ''}`);
      }
      if (results.some((r) => r.receipt)) io.stdout(receiptTable(results));
    }
    return results.every((r) => r.status === 'uploaded' || r.status === 'already-uploaded') ? 0 : 1;
  } catch (error) {
    io.stderr(`voicevault ingest: ${isVoiceVaultError(error) ? `${error.message} (${error.code})` : (error as Error).message}`);
    return 1;
  }
};

export interface IngestFilesOptions {
  username: string;
  passwordStdin?: boolean;
  promptId?: string;
  acceptConsent?: string;
  statePath?: string;
  dataDir?: string;
}

/** Seals every file into the outbox, then uploads the outbox; one bar per file on a terminal. */
export async function ingestFiles(io: CliIo, files: string[], options: IngestFilesOptions): Promise<FileResult[]> {
  const cli = await openCliSession(io, options);
  const { workspace } = cli;
  const bars = batchProgress(io);
  try {
    const { partition } = workspace.ingest;
    if (workspace.ledger.consentAccepted !== partition.consent.version) {
      if (options.acceptConsent !== partition.consent.version) {
        throw new VoiceVaultError(
          'InvalidArgument',
          `partition ${partition.id} asks for your consent (version ${partition.consent.version}):\n  ${partition.consent.text}\nRun again with --accept-consent ${partition.consent.version} to accept it.`,
        );
      }
      await workspace.ledger.acceptConsent(partition.consent.version);
    }
    const results = new Map<string, FileResult>();
    const barOf = new Map<string, FileProgress>();
    for (const file of files) {
      const bar = bars.track(file, 'analysing');
      let outcome: IngestOutcome;
      try {
        outcome = await workspace.ingest.ingestFile(file, options.promptId);
      } catch (error) {
        if (!isVoiceVaultError(error) || error.code === 'DiskFull' || error.code === 'AccessDenied') throw error;
        results.set(file, { file, status: 'failed', reasons: [error.message] });
        bar.update(0, 'failed');
        continue;
      }
      if (outcome.status === 'rejected') {
        results.set(file, { file, sample: outcome.sample, status: 'rejected', reasons: outcome.reasons });
        bar.update(0, 'rejected');
      } else if (outcome.status === 'already-done' && outcome.state === 'uploaded') {
        results.set(file, { file, sample: outcome.sample, status: 'already-uploaded', reasons: [], ...receiptOf(workspace.ledger.get(outcome.sample)?.receipt) });
        bar.update(100, 'already uploaded');
      } else {
        results.set(file, { file, sample: outcome.sample, status: 'failed', reasons: ['not uploaded yet'] });
        barOf.set(outcome.sample, bar);
        bar.update(0, 'sealed');
      }
    }
    const stopProgress = workspace.uploader.onProgress((sample, sent, total) => barOf.get(sample)?.update(total ? Math.round((100 * sent) / total) : 0, 'uploading'));
    try {
      await workspace.uploader.drain();
    } finally {
      stopProgress();
    }
    for (const result of results.values()) {
      if (!result.sample || result.status !== 'failed') continue;
      const entry = workspace.ledger.get(result.sample);
      if (entry?.state === 'uploaded') {
        Object.assign(result, { status: 'uploaded', reasons: [], ...receiptOf(entry.receipt) });
        barOf.get(result.sample)?.update(100, 'uploaded');
      } else {
        const problem = (await workspace.outbox.get(result.sample))?.lastError?.message;
        result.reasons = [problem ?? 'still in the outbox; it will be uploaded on the next run'];
      }
    }
    return files.map((file) => results.get(file)!);
  } finally {
    bars.stop();
    await cli.close();
  }
}

function receiptOf(receipt: Receipt | undefined): { receipt?: Receipt } {
  return receipt ? { receipt } : {};
}
