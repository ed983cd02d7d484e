// The exported dataset on disk:
//   <root>/<partition>/<sample>.<preset>.safetensors   the decrypted features, the stored bytes unchanged
//   <root>/index.jsonl                                 one row per file (IndexRow)
//   <root>/rejected.jsonl                              what the last run refused, with the reason
//   <root>/deletions.jsonl                             every erased sample the deletion feed named
//   <root>/.voicevault-export/                         checkpoint, lock and temporary files
// Every file appears whole or not at all: it is written to a temporary file, flushed, then renamed into place.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { VoiceVaultError } from '../../shared/errors';

export interface QualitySummary {
  pass: boolean;
  snr_db: number;
  speech_ratio: number;
  clipped_pct: number;
  silence_pct: number;
  rms_dbfs: number;
  peak_dbfs: number;
}

/** A row of index.jsonl: one exported features file and what its sealed manifest says about the take. */
export interface IndexRow {
  sample: string;
  partition: string;
  /** The contractor's pseudonymous id (user-pool sub), never a name. */
  contractor: string;
  preset: string;
  tier: string;
  duration_s: number;
  quality: QualitySummary;
  prompt_id: string | null;
  consent_version: string;
  app_version: string;
  recorded_at: string;
  /** The file, relative to the dataset root. */
  path: string;
  bytes: number;
}

export interface RejectedRow {
  /** The object key the problem was found at. */
  key: string;
  sample: string | null;
  partition: string | null;
  /** Which check refused it. */
  check: 'object-key' | 'encryption-context' | 'message-integrity' | 'ciphertext-hash' | 'manifest' | 'missing-object' | 'changed-since-export' | 'deletion-record';
  code: string;
  reason: string;
}

export interface DeletionRow {
  sample: string;
  partition: string;
  reason: string;
  erased_at: string;
  /** The deletion-feed record that named it. */
  record: string;
  /** Whether its files were in this dataset and have now been removed. */
  removed: boolean;
}

export const stateFolder = '.voicevault-export';

export function featuresPath(partition: string, sample: string, preset: string): string {
  return `${partition}/${sample}.${preset}.safetensors`;
}

export const erasureKey = (partition: string, sample: string): string => `${partition}/${sample}`;

async function* jsonLines<T>(path: string): AsyncGenerator<T> {
  const present = await stat(path).then(
    () => true,
    () => false,
  );
  if (!present) return;
  const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of reader) if (line.trim()) yield JSON.parse(line) as T;
  } finally {
    reader.close();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function appendDurably(path: string, text: string): Promise<number> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(text);
    await handle.datasync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

export class DatasetWriter {
  readonly indexPath: string;
  readonly stateDir: string;
  private readonly temporaryDir: string;
  private readonly lockPath: string;
  private readonly folders = new Set<string>();
  private indexSize = 0;

  private constructor(readonly root: string) {
    this.indexPath = join(root, 'index.jsonl');
    this.stateDir = join(root, stateFolder);
    this.temporaryDir = join(this.stateDir, 'tmp');
    this.lockPath = join(this.stateDir, 'lock');
  }

  /** Takes the directory for this process (one export at a time per directory) and clears old temporary files. */
  static async open(root: string): Promise<DatasetWriter> {
    const writer = new DatasetWriter(root);
    await mkdir(writer.stateDir, { recursive: true, mode: 0o700 });
    await writer.lock();
    await rm(writer.temporaryDir, { recursive: true, force: true });
    await mkdir(writer.temporaryDir, { mode: 0o700 });
    return writer;
  }

  private async lock(): Promise<void> {
    for (let tries = 0; tries < 2; tries++) {
      try {
        await writeFile(this.lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(this.lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new VoiceVaultError('Conflict', `Another export (process ${holder}) is writing ${this.root}. Wait for it, or give each process its own --out directory.`);
      }
      await rm(this.lockPath, { force: true }); // left behind by a process that is gone
    }
    throw new VoiceVaultError('Conflict', `Could not take ${this.lockPath}; another export may have started at the same moment.`);
  }

  async release(): Promise<void> {
    await rm(this.temporaryDir, { recursive: true, force: true });
    await rm(this.lockPath, { force: true });
  }

  /** Re-reads the committed length of index.jsonl (after the checkpoint has settled an interrupted run). */
  async refreshIndexSize(): Promise<number> {
    this.indexSize = await stat(this.indexPath).then(
      (s) => s.size,
      () => 0,
    );
    return this.indexSize;
  }

  get indexBytes(): number {
    return this.indexSize;
  }

  /** Writes `bytes` at `relativePath` under the root: whole, flushed, or not at all. */
  async writeFile(relativePath: string, bytes: Uint8Array): Promise<void> {
    const target = join(this.root, relativePath);
    const folder = dirname(target);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    const temporary = join(this.temporaryDir, randomUUID());
    try {
      const handle = await open(temporary, 'wx', 0o644);
      try {
        await handle.write(bytes);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw diskError(error, relativePath);
    }
  }

  async removeFile(relativePath: string): Promise<void> {
    await rm(join(this.root, relativePath), { force: true });
  }

  /** Appends rows to index.jsonl and flushes them; returns the new length. */
  async appendIndexRows(rows: readonly IndexRow[]): Promise<number> {
    if (rows.length === 0) return this.indexSize;
    this.indexSize = await appendDurably(this.indexPath, rows.map((row) => `${JSON.stringify(row)}\n`).join('')).catch((error: unknown) => {
      throw diskError(error, 'index.jsonl');
    });
    return this.indexSize;
  }

  /** Erased samples and applied deletion records, from deletions.jsonl. */
  async readDeletions(): Promise<{ erased: Set<string>; records: Set<string> }> {
    const erased = new Set<string>();
    const records = new Set<string>();
    for await (const row of jsonLines<DeletionRow>(join(this.root, 'deletions.jsonl'))) {
      erased.add(erasureKey(row.partition, row.sample));
      records.add(row.record);
    }
    return { erased, records };
  }

  /**
   * Removes the files and index rows of the samples the new deletion-feed rows name, then appends those rows
   * to deletions.jsonl with `removed` saying whether the sample was here. Run again after an interruption, it
   * finishes the job (the rows are appended last, and their records are what marks them as applied).
   */
  async erase(erasures: readonly Omit<DeletionRow, 'removed'>[]): Promise<DeletionRow[]> {
    const wanted = new Set(erasures.map((row) => erasureKey(row.partition, row.sample)));
    const removed = new Set<string>();
    const rewritten = join(this.temporaryDir, `index-${randomUUID()}.jsonl`);
    const out = await open(rewritten, 'w', 0o644);
    try {
      let kept: string[] = [];
      for await (const row of jsonLines<IndexRow>(this.indexPath)) {
        const key = erasureKey(row.partition, row.sample);
        if (wanted.has(key)) {
          await unlink(join(this.root, row.path)).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw diskError(error, row.path);
          });
          removed.add(key);
        } else {
          kept.push(`${JSON.stringify(row)}\n`);
          if (kept.length >= 1000) {
            await out.write(kept.join(''));
            kept = [];
          }
        }
      }
      await out.write(kept.join(''));
      await out.datasync();
    } finally {
      await out.close();
    }
    await rename(rewritten, this.indexPath);
    await this.refreshIndexSize();
    const rows = erasures.map((row) => ({ ...row, removed: removed.has(erasureKey(row.partition, row.sample)) }));
    if (rows.length > 0) await appendDurably(join(this.root, 'deletions.jsonl'), rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    return rows;
  }

  /** rejected.jsonl for this run: written aside and put in place by `finish`. */
  async startRejected(): Promise<RejectedLog> {
    return RejectedLog.create(join(this.temporaryDir, `rejected-${randomUUID()}.jsonl`), join(this.root, 'rejected.jsonl'));
  }
}

export class RejectedLog {
  count = 0;
  private constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    private readonly temporary: string,
    private readonly target: string,
  ) {}

  static async create(temporary: string, target: string): Promise<RejectedLog> {
    return new RejectedLog(await open(temporary, 'w', 0o644), temporary, target);
  }

  async add(row: RejectedRow): Promise<void> {
    this.count++;
    await this.handle.write(`${JSON.stringify(row)}\n`);
  }

  async finish(): Promise<void> {
    await this.handle.datasync();
    await this.handle.close();
    await rename(this.temporary, this.target);
  }

  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }
}

function diskError(error: unknown, what: string): VoiceVaultError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new VoiceVaultError('DiskFull', `The disk is full: could not write ${what}. Nothing half-written was left; free some space and run the export again.`, { cause: error });
  return new VoiceVaultError('Internal', `Could not write ${what}: ${(error as Error).message}.`, { cause: error });
}
