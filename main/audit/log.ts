// The local audit log: one JSON record per line, each chained to the one before by its hash. Appends go
// one at a time through O_APPEND and are fsynced before they resolve, so a record the caller has seen
// is on disk. A crash mid-append leaves a torn last line; open() cuts it off and records that it did.
// One process writes a log at a time (the app and the CLI keep separate data folders); a line another
// process appended in between is picked up before the next append.
import { createHash } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VoiceVaultError } from '../../shared/errors';
import { canonicalJson, type JsonValue } from './canonical-json';
import { genesisHash, hashRecord, recordLine, recordShapeProblem, type AuditedObjectRef, type AuditRecord } from './record';

export interface AuditEntry {
  action: string;
  sample?: string;
  objects?: AuditedObjectRef[];
  detail?: { [key: string]: JsonValue };
}

export interface AuditLogOptions {
  /** Milliseconds since the epoch (Date.now by default). */
  now?: () => number;
}

const actionPattern = /^[a-z][a-z-]{0,39}$/;
const samplePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const sha256Base64Pattern = /^[A-Za-z0-9+/]{43}=$/;

interface Tail {
  /** Bytes up to and including the last newline. */
  completeLength: number;
  lastLine: string | undefined;
}

export class AuditLog {
  private last: { seq: number; hash: string } = { seq: 0, hash: genesisHash };
  private size = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly now: () => number,
  ) {}

  /** Opens (or creates, 0600) the log at `path`, repairing a torn last line. */
  static async open(path: string, { now = Date.now }: AuditLogOptions = {}): Promise<AuditLog> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    let handle: FileHandle;
    try {
      handle = await open(path, 'a+', 0o600);
    } catch (error) {
      throw new VoiceVaultError('Internal', `Could not open the audit log ${path}.`, { cause: error });
    }
    const log = new AuditLog(path, handle, now);
    try {
      const { size } = await handle.stat();
      if (size === 0) await syncDirectory(dirname(path)); // the new file's directory entry must survive a crash too
      const repair = await log.loadTail({ repairTorn: true });
      if (repair) await log.append({ action: 'repaired', detail: repair });
      return log;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The hash of the latest record (64 zeros while the log is empty). */
  head(): string {
    return this.last.hash;
  }

  /** Appends one record; concurrent calls are written in call order. Resolves once it is on disk. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const written = this.queue.then(() => this.write(entry));
    this.queue = written.catch(() => undefined);
    return written;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
  }

  private async write(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) throw new VoiceVaultError('Internal', `The audit log ${this.path} is closed.`);
    const body = this.recordBody(entry);
    const { size } = await this.handle.stat();
    if (size !== this.size) await this.loadTail({ repairTorn: false }); // another process appended
    const unsigned = { ...body, seq: this.last.seq + 1, prev: this.last.hash };
    const record: AuditRecord = { ...unsigned, hash: hashRecord(unsigned) };
    const bytes = Buffer.from(recordLine(record), 'utf8');
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
      await this.handle.datasync();
    } catch (error) {
      // Leave no torn line behind: the record was not written, so neither is any part of it.
      await this.handle.truncate(this.size).catch(() => undefined);
      const full = (error as NodeJS.ErrnoException).code === 'ENOSPC';
      throw new VoiceVaultError(
        full ? 'DiskFull' : 'Internal',
        full ? `The disk is full: the audit log could not record "${entry.action}". Nothing was lost; free some space and try again.` : `Could not write to the audit log ${this.path}.`,
        { cause: error },
      );
    }
    this.size += bytes.length;
    this.last = { seq: record.seq, hash: record.hash };
    return record;
  }

  private recordBody(entry: AuditEntry): Omit<AuditRecord, 'seq' | 'prev' | 'hash'> {
    const refuse = (why: string) => new VoiceVaultError('InvalidArgument', `Cannot record this in the audit log: ${why}.`);
    if (typeof entry.action !== 'string' || !actionPattern.test(entry.action)) throw refuse(`the action ${JSON.stringify(entry.action)} is not a lowercase word`);
    if (entry.sample !== undefined && (typeof entry.sample !== 'string' || !samplePattern.test(entry.sample))) throw refuse(`the sample id ${JSON.stringify(entry.sample)} is not valid`);
    const objects = (entry.objects ?? []).map(({ key, sha256 }) => {
      if (typeof key !== 'string' || key.length === 0 || key.length > 1024) throw refuse(`the object key ${JSON.stringify(key)} is not valid`);
      if (typeof sha256 !== 'string' || !sha256Base64Pattern.test(sha256)) throw refuse(`the SHA-256 of ${key} is not a base64 SHA-256`);
      return { key, sha256 };
    });
    const detail = entry.detail ?? {};
    try {
      canonicalJson(detail);
    } catch (error) {
      throw refuse(`its detail is not plain JSON (${(error as Error).message})`);
    }
    const time = new Date(this.now());
    if (Number.isNaN(time.getTime())) throw new VoiceVaultError('Internal', 'The audit log clock returned no valid time.');
    return { time: time.toISOString(), action: entry.action, sample: entry.sample ?? null, objects, detail };
  }

  /** Reads the last complete record; with repairTorn, cuts off a torn last line and says what it cut. */
  private async loadTail({ repairTorn }: { repairTorn: boolean }): Promise<{ [key: string]: JsonValue } | undefined> {
    const { size } = await this.handle.stat();
    const tail = await readTail(this.handle, size);
    let repair: { [key: string]: JsonValue } | undefined;
    if (tail.completeLength < size) {
      if (!repairTorn) throw new VoiceVaultError('IntegrityError', `The audit log ${this.path} ends in an incomplete line written by another process; close it and try again.`);
      const dropped = Buffer.alloc(size - tail.completeLength);
      await readExactly(this.handle, dropped, tail.completeLength);
      await this.handle.truncate(tail.completeLength);
      await this.handle.sync();
      repair = {
        reason: 'the last line was incomplete (a write was interrupted) and was removed',
        droppedBytes: dropped.length,
        droppedSha256: createHash('sha256').update(dropped).digest('hex'),
      };
    }
    if (tail.lastLine === undefined) {
      this.last = { seq: 0, hash: genesisHash };
    } else {
      let value: unknown;
      try {
        value = JSON.parse(tail.lastLine);
      } catch {
        value = undefined;
      }
      const problem = value === undefined ? 'it is not valid JSON' : recordShapeProblem(value);
      if (problem) {
        throw new VoiceVaultError('IntegrityError', `The last line of the audit log ${this.path} is damaged (${problem}), so no record can follow it. Check the log with: voicevault audit verify`);
      }
      const record = value as AuditRecord;
      this.last = { seq: record.seq, hash: record.hash };
    }
    this.size = tail.completeLength;
    return repair;
  }
}

async function readExactly(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new VoiceVaultError('Internal', 'The audit log shrank while it was being read.');
    done += bytesRead;
  }
}

/** Finds the last newline-terminated line by reading backwards from the end, a growing window at a time. */
async function readTail(handle: FileHandle, size: number): Promise<Tail> {
  for (let window = 64 * 1024; ; window *= 4) {
    const start = Math.max(0, size - window);
    const buffer = Buffer.alloc(size - start);
    await readExactly(handle, buffer, start);
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline === -1) {
      if (start === 0) return { completeLength: 0, lastLine: undefined };
      continue;
    }
    const before = lastNewline === 0 ? -1 : buffer.lastIndexOf(0x0a, lastNewline - 1);
    if (before === -1 && start > 0) continue;
    return { completeLength: start + lastNewline + 1, lastLine: buffer.subarray(before + 1, lastNewline).toString('utf8') };
  }
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds the data.
  } finally {
    await directory.close();
  }
}
