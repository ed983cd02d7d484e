// The local record of every sample this contractor started on this device: its id (fixed when the take
// was captured or the file imported), where it stands, and its receipt once S3 confirmed it. Imported
// files are recognised by an HMAC of their bytes under the device key (not a plain hash of the audio),
// so re-running an import skips what was already sent. Rewritten atomically on each change.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { directoryMode, outboxFileError, replaceFileDurably } from '../outbox/durable-fs';
import type { Receipt } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';

export type LedgerState = 'started' | 'queued' | 'uploaded' | 'rejected' | 'skipped';

export interface LedgerEntry {
  sample: string;
  source: string;
  /** HMAC of an imported file's bytes; absent for recordings. */
  fileKey?: string;
  promptId?: string;
  state: LedgerState;
  updatedAt: string;
  reasons?: string[];
  receipt?: Receipt;
}

interface LedgerFile {
  version: 1;
  consentAccepted?: string;
  entries: LedgerEntry[];
}

export class SampleLedger {
  private file: LedgerFile;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    file: LedgerFile,
    private readonly now: () => number,
  ) {
    this.file = file;
  }

  static async open(path: string, now: () => number = Date.now): Promise<SampleLedger> {
    let file: LedgerFile = { version: 1, entries: [] };
    try {
      file = JSON.parse(await readFile(path, 'utf8')) as LedgerFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new VoiceVaultError('Internal', `The sample ledger ${path} is unreadable; it was left as it is.`, { cause: error });
      }
    }
    return new SampleLedger(path, file, now);
  }

  get consentAccepted(): string | undefined {
    return this.file.consentAccepted;
  }

  entries(): readonly LedgerEntry[] {
    return this.file.entries;
  }

  get(sample: string): LedgerEntry | undefined {
    return this.file.entries.find((e) => e.sample === sample);
  }

  byFileKey(fileKey: string): LedgerEntry | undefined {
    return this.file.entries.find((e) => e.fileKey === fileKey);
  }

  async acceptConsent(version: string): Promise<void> {
    this.file = { ...this.file, consentAccepted: version };
    await this.save();
  }

  /** Creates an entry or merges into the existing one, and saves the ledger before returning. */
  async put(entry: Omit<LedgerEntry, 'updatedAt'>): Promise<LedgerEntry> {
    const next: LedgerEntry = { ...this.get(entry.sample), ...entry, updatedAt: new Date(this.now()).toISOString() };
    const entries = this.file.entries.filter((e) => e.sample !== entry.sample);
    this.file = { ...this.file, entries: [...entries, next] };
    await this.save();
    return next;
  }

  async update(sample: string, change: Partial<Omit<LedgerEntry, 'sample'>>): Promise<LedgerEntry> {
    const current = this.get(sample);
    if (!current) throw new VoiceVaultError('NotFound', `No sample ${sample} on this device.`);
    return this.put({ ...current, ...change });
  }

  private save(): Promise<void> {
    const snapshot = JSON.stringify(this.file, null, 1);
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(this.path), { recursive: true, mode: directoryMode });
        await replaceFileDurably(this.path, snapshot, dirname(this.path));
      })
      .catch((error: unknown) => {
        throw outboxFileError(error, 'save the sample ledger');
      });
    return this.writing;
  }
}
