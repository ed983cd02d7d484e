// The outbox: sealed samples waiting for upload, on disk so that a crash, a reboot or a week
// offline loses nothing. It holds ciphertext and metadata only; the pipeline seals before it adds.
//
//   <dir>/entries/<sample>/entry.json        what the entry is and how far its upload got
//   <dir>/entries/<sample>/o<n>-<id>.sealed  one file per sealed object
//   <dir>/.incoming/                         entries being written or removed; emptied on open
//
// An entry is built whole in .incoming and renamed into entries/ in one step, so a process
// killed at any instant leaves no entry or a whole one.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { VoiceVaultError } from '../../shared/errors';
import { directoryMode, outboxFileError, replaceFileDurably, syncDirectory, uniqueSuffix, writeNewFileDurably } from './durable-fs';
import {
  isObjectFileName,
  outboxEntrySchema,
  sampleIdPattern,
  type NewOutboxEntry,
  type OutboxEntry,
  type OutboxObject,
  type SealedWith,
} from './entry';

const entryFile = 'entry.json';

export interface ReplacementObject {
  ciphertext: Uint8Array;
  sha256: string;
  sealedWith: SealedWith;
}

export class Outbox {
  private readonly entriesDir: string;
  private readonly incomingDir: string;
  /** Changes to one entry run one after another (read, mutate, write must not interleave). */
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(readonly dir: string) {
    this.entriesDir = join(dir, 'entries');
    this.incomingDir = join(dir, '.incoming');
  }

  /** Opens (creating if needed) the outbox in `dir` and clears what an interrupted write left behind. */
  static async open(dir: string): Promise<Outbox> {
    const outbox = new Outbox(dir);
    try {
      await mkdir(outbox.entriesDir, { recursive: true, mode: directoryMode });
      await mkdir(outbox.incomingDir, { recursive: true, mode: directoryMode });
      await outbox.clearLeftovers();
    } catch (error) {
      throw outboxFileError(error, `open the outbox in ${dir}`);
    }
    return outbox;
  }

  async add(input: NewOutboxEntry): Promise<OutboxEntry> {
    validateNewEntry(input);
    const { sample } = input;
    return this.withLock(sample, async () => {
      if (await this.exists(sample)) {
        throw new VoiceVaultError('AlreadyExists', `Sample ${sample} is already in the outbox.`);
      }
      const building = join(this.incomingDir, `${sample}.${uniqueSuffix()}`);
      try {
        await mkdir(building, { mode: directoryMode });
        const objects: OutboxObject[] = [];
        for (const [index, object] of input.objects.entries()) {
          const file = objectFileName(index);
          await writeNewFileDurably(join(building, file), object.ciphertext);
          objects.push({
            key: object.key,
            file,
            bytes: object.ciphertext.byteLength,
            sha256: object.sha256,
            sealedWith: object.sealedWith,
            metadata: { ...object.metadata },
            upload: { status: 'pending', sent: false },
          });
        }
        const entry: OutboxEntry = {
          version: 1,
          sample,
          source: input.source,
          ...(input.promptId !== undefined ? { promptId: input.promptId } : {}),
          createdAt: input.createdAt,
          state: 'sealed',
          attempts: 0,
          objects,
        };
        await writeNewFileDurably(join(building, entryFile), serialize(entry));
        await syncDirectory(building);
        try {
          await rename(building, this.entryDir(sample));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EEXIST' || code === 'ENOTEMPTY') {
            throw new VoiceVaultError('AlreadyExists', `Sample ${sample} is already in the outbox.`);
          }
          throw error;
        }
        await syncDirectory(this.entriesDir);
        return entry;
      } catch (error) {
        await rm(building, { recursive: true, force: true });
        throw outboxFileError(error, `save sample ${sample} to the outbox`);
      }
    });
  }

  /** Every readable entry, oldest first. An unreadable entry.json is left on disk untouched and skipped. */
  async list(): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    for (const sample of await this.samples()) {
      const entry = await this.read(sample).catch(() => undefined);
      if (entry) entries.push(entry);
    }
    return entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.sample.localeCompare(b.sample));
  }

  async get(sample: string): Promise<OutboxEntry> {
    requireSampleId(sample);
    return this.read(sample);
  }

  async has(sample: string): Promise<boolean> {
    requireSampleId(sample);
    return this.exists(sample);
  }

  async readObject(sample: string, key: string): Promise<Buffer> {
    const { object } = await this.findObject(sample, key);
    try {
      return await readFile(join(this.entryDir(sample), object.file));
    } catch (error) {
      throw outboxFileError(error, `read ${key} from the outbox`);
    }
  }

  /** `length` bytes from `start` (fewer at the end of the object), for uploading one part at a time. */
  async readObjectRange(sample: string, key: string, start: number, length: number): Promise<Buffer> {
    const { object } = await this.findObject(sample, key);
    const size = Math.max(0, Math.min(length, object.bytes - start));
    const buffer = Buffer.alloc(size);
    try {
      const handle = await open(join(this.entryDir(sample), object.file), 'r');
      try {
        let done = 0;
        while (done < size) {
          const { bytesRead } = await handle.read(buffer, done, size - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        if (done < size) throw new VoiceVaultError('IntegrityError', `${key} in the outbox is shorter than recorded.`);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw outboxFileError(error, `read ${key} from the outbox`);
    }
    return buffer;
  }

  /**
   * Changes an entry's upload state. `mutate` gets a copy; its result is written atomically.
   * The sealed objects themselves (keys, files, hashes) change only through replaceObject.
   */
  async update(sample: string, mutate: (entry: OutboxEntry) => OutboxEntry | void): Promise<OutboxEntry> {
    requireSampleId(sample);
    return this.withLock(sample, async () => {
      const current = await this.read(sample);
      const draft = structuredClone(current);
      const next = mutate(draft) ?? draft;
      const parsed = outboxEntrySchema.safeParse(next);
      if (!parsed.success) {
        throw new VoiceVaultError('InvalidArgument', `The update of ${sample} is not a valid outbox entry: ${parsed.error.issues[0]?.message ?? ''}`);
      }
      if (!sameSealedObjects(current, parsed.data)) {
        throw new VoiceVaultError('InvalidArgument', `An update may not change the sealed objects of ${sample}; use replaceObject.`);
      }
      await this.write(parsed.data);
      return parsed.data;
    });
  }

  /** Puts a re-sealed object in place of the old one (e.g. sealed under KMS after being sealed on the device). */
  async replaceObject(sample: string, key: string, replacement: ReplacementObject): Promise<OutboxEntry> {
    requireSampleId(sample);
    requireHash(replacement.ciphertext, replacement.sha256, key);
    return this.withLock(sample, async () => {
      const entry = await this.read(sample);
      const index = entry.objects.findIndex((o) => o.key === key);
      const old = entry.objects[index];
      if (!old) throw new VoiceVaultError('NotFound', `Sample ${sample} in the outbox has no object ${key}.`);
      if (old.upload.status === 'done' || old.upload.sent) {
        throw new VoiceVaultError('Conflict', `${key} has already been sent to S3 and cannot be replaced.`);
      }
      const directory = this.entryDir(sample);
      const file = objectFileName(index);
      try {
        await writeNewFileDurably(join(directory, file), replacement.ciphertext);
        await syncDirectory(directory);
        const next: OutboxEntry = structuredClone(entry);
        next.objects[index] = {
          ...old,
          file,
          bytes: replacement.ciphertext.byteLength,
          sha256: replacement.sha256,
          sealedWith: replacement.sealedWith,
          upload: { status: 'pending', sent: false },
        };
        await this.write(next);
        // The old file is unreferenced now; if this removal is interrupted, open() removes it.
        await rm(join(directory, old.file), { force: true });
        return next;
      } catch (error) {
        // Whatever the step that failed, entry.json names exactly one of the two files; open() removes the other.
        throw outboxFileError(error, `replace ${key} in the outbox`);
      }
    });
  }

  /** Removes an entry (after its upload was confirmed). Removing a missing entry does nothing. */
  async remove(sample: string): Promise<void> {
    requireSampleId(sample);
    await this.withLock(sample, async () => {
      if (!(await this.exists(sample))) return;
      const leaving = join(this.incomingDir, `${sample}.removed.${uniqueSuffix()}`);
      try {
        await rename(this.entryDir(sample), leaving);
        await syncDirectory(this.entriesDir);
      } catch (error) {
        throw outboxFileError(error, `remove sample ${sample} from the outbox`);
      }
      await rm(leaving, { recursive: true, force: true });
    });
  }

  private entryDir(sample: string): string {
    return join(this.entriesDir, sample);
  }

  private async samples(): Promise<string[]> {
    try {
      return (await readdir(this.entriesDir)).filter((name) => sampleIdPattern.test(name));
    } catch (error) {
      throw outboxFileError(error, 'list the outbox');
    }
  }

  private async exists(sample: string): Promise<boolean> {
    try {
      await stat(join(this.entryDir(sample), entryFile));
      return true;
    } catch {
      return false;
    }
  }

  private async read(sample: string): Promise<OutboxEntry> {
    let text: string;
    try {
      text = await readFile(join(this.entryDir(sample), entryFile), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new VoiceVaultError('NotFound', `Sample ${sample} is not in the outbox.`);
      }
      throw outboxFileError(error, `read sample ${sample} from the outbox`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = outboxEntrySchema.safeParse(json);
    if (!parsed.success || parsed.data.sample !== sample) {
      throw new VoiceVaultError('IntegrityError', `The outbox record of sample ${sample} is damaged; it was left on disk untouched.`);
    }
    return parsed.data;
  }

  private async write(entry: OutboxEntry): Promise<void> {
    const directory = this.entryDir(entry.sample);
    try {
      await replaceFileDurably(join(directory, entryFile), serialize(entry), directory);
    } catch (error) {
      throw outboxFileError(error, `save the upload state of sample ${entry.sample}`);
    }
  }

  private async findObject(sample: string, key: string): Promise<{ entry: OutboxEntry; object: OutboxObject }> {
    const entry = await this.get(sample);
    const object = entry.objects.find((o) => o.key === key);
    if (!object) throw new VoiceVaultError('NotFound', `Sample ${sample} in the outbox has no object ${key}.`);
    return { entry, object };
  }

  private async clearLeftovers(): Promise<void> {
    for (const name of await readdir(this.incomingDir)) {
      await rm(join(this.incomingDir, name), { recursive: true, force: true });
    }
    for (const sample of await this.samples()) {
      const entry = await this.read(sample).catch(() => undefined);
      if (!entry) continue; // damaged or foreign: leave it for a person to look at
      const referenced = new Set(entry.objects.map((o) => o.file));
      for (const name of await readdir(this.entryDir(sample))) {
        const stray = name.endsWith('.tmp') || (isObjectFileName(name) && !referenced.has(name));
        if (stray) await rm(join(this.entryDir(sample), name), { force: true });
      }
    }
  }

  private async withLock<T>(sample: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(sample) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    const settled = run.catch(() => undefined);
    this.locks.set(sample, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(sample) === settled) this.locks.delete(sample);
    }
  }
}

function objectFileName(index: number): string {
  return `o${index}-${uniqueSuffix()}.sealed`;
}

function serialize(entry: OutboxEntry): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}

export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function requireSampleId(sample: string): void {
  if (!sampleIdPattern.test(sample)) {
    throw new VoiceVaultError('InvalidArgument', `"${sample}" is not a valid sample id (letters, digits, - and _ only).`);
  }
}

function requireHash(ciphertext: Uint8Array, sha256: string, key: string): void {
  if (sha256Base64(ciphertext) !== sha256) {
    throw new VoiceVaultError('IntegrityError', `The SHA-256 given for ${key} does not match its sealed bytes.`);
  }
}

function validateNewEntry(input: NewOutboxEntry): void {
  requireSampleId(input.sample);
  if (input.objects.length === 0) throw new VoiceVaultError('InvalidArgument', `Sample ${input.sample} has no sealed objects to queue.`);
  const keys = new Set<string>();
  for (const object of input.objects) {
    if (!object.key) throw new VoiceVaultError('InvalidArgument', `Sample ${input.sample} has an object without a key.`);
    if (keys.has(object.key)) throw new VoiceVaultError('InvalidArgument', `Sample ${input.sample} lists ${object.key} twice.`);
    keys.add(object.key);
    requireHash(object.ciphertext, object.sha256, object.key);
  }
}

function sameSealedObjects(a: OutboxEntry, b: OutboxEntry): boolean {
  if (a.sample !== b.sample || a.objects.length !== b.objects.length) return false;
  return a.objects.every((o, i) => {
    const p = b.objects[i];
    return p !== undefined && p.key === o.key && p.file === o.file && p.sha256 === o.sha256 && p.bytes === o.bytes && p.sealedWith === o.sealedWith;
  });
}
