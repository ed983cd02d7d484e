// What earlier runs already exported, so a second run fetches nothing new — in bounded memory.
// `done.tsv` holds "<manifest key>\t<ETag>" lines in S3's listing order; a run reads it as a cursor beside the
// listing (a merge join) instead of loading it. The run itself appends each finished page, in listing order,
// to `run.log` and ends the page with "commit <bytes of index.jsonl>". At the end, or at the start of the next
// run after a crash, the committed pages are merged into done.tsv and index.jsonl is cut back to the last
// commit, so a page that was half done when the process died is simply done again, without duplicate rows.
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface DoneEntry {
  key: string;
  etag: string;
}

const doneFile = 'done.tsv';
const logFile = 'run.log';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function* lines(path: string): AsyncGenerator<string> {
  if (!(await exists(path))) return;
  const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of reader) yield line;
  } finally {
    reader.close();
  }
}

function parseEntry(line: string): DoneEntry | undefined {
  const [key, etag] = line.split('\t');
  return key && etag !== undefined ? { key, etag } : undefined;
}

async function* doneEntries(path: string): AsyncGenerator<DoneEntry> {
  for await (const line of lines(path)) {
    const entry = parseEntry(line);
    if (entry) yield entry;
  }
}

/** The committed entries of a run log (up to its last commit line) and the index length at that commit. */
async function committedLength(logPath: string): Promise<{ lines: number; indexBytes: number | undefined }> {
  let indexBytes: number | undefined;
  let committedLines = 0;
  let count = 0;
  for await (const line of lines(logPath)) {
    count++;
    const marker = /^(start|commit) (\d+)$/.exec(line);
    if (!marker) continue;
    indexBytes = Number(marker[2]);
    committedLines = count;
  }
  return { lines: committedLines, indexBytes };
}

async function* committedEntries(logPath: string, upTo: number): AsyncGenerator<DoneEntry> {
  let count = 0;
  for await (const line of lines(logPath)) {
    if (++count > upTo) return;
    if (!line.startsWith('+\t')) continue;
    const entry = parseEntry(line.slice(2));
    if (entry) yield entry;
  }
}

/** Writes lines to a new file through a buffer, then makes them durable. */
class DurableWriter {
  private buffer: string[] = [];
  private size = 0;
  private constructor(private readonly handle: Awaited<ReturnType<typeof open>>) {}

  static async create(path: string, flags: 'w' | 'a'): Promise<DurableWriter> {
    return new DurableWriter(await open(path, flags, 0o600));
  }

  async write(line: string): Promise<void> {
    this.buffer.push(line, '\n');
    this.size += line.length + 1;
    if (this.size > 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    await this.handle.write(text);
  }

  async sync(): Promise<void> {
    await this.flush();
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.sync();
    await this.handle.close();
  }
}

/** Merges two streams sorted by key (the second wins on equal keys) into done.tsv, atomically. */
async function mergeInto(stateDir: string, extra: AsyncIterable<DoneEntry>): Promise<void> {
  const target = join(stateDir, doneFile);
  const temporary = `${target}.tmp`;
  const out = await DurableWriter.create(temporary, 'w');
  const old = doneEntries(target)[Symbol.asyncIterator]();
  const added = extra[Symbol.asyncIterator]();
  let a = await old.next();
  let b = await added.next();
  while (!a.done || !b.done) {
    if (b.done || (!a.done && a.value.key < b.value.key)) {
      await out.write(`${a.value!.key}\t${a.value!.etag}`);
      a = await old.next();
    } else {
      if (!a.done && a.value.key === b.value.key) a = await old.next();
      await out.write(`${b.value.key}\t${b.value.etag}`);
      b = await added.next();
    }
  }
  await out.close();
  await rename(temporary, target);
}

/**
 * Answers "was this key exported before?" for keys asked in listing order. Keys here are VoiceVault object
 * keys (ASCII), so JavaScript's string order is S3's byte order.
 */
export class DoneCursor {
  private current: IteratorResult<DoneEntry> | undefined;
  constructor(private readonly entries: AsyncIterator<DoneEntry>) {}

  async find(key: string): Promise<DoneEntry | undefined> {
    this.current ??= await this.entries.next();
    while (!this.current.done && this.current.value.key < key) this.current = await this.entries.next();
    return !this.current.done && this.current.value.key === key ? this.current.value : undefined;
  }

  async close(): Promise<void> {
    await this.entries.return?.();
  }
}

export class Checkpoint {
  private log: DurableWriter | undefined;

  private constructor(
    private readonly stateDir: string,
    private readonly indexPath: string,
  ) {}

  /** Opens the checkpoint in `stateDir`, first finishing whatever an interrupted run committed. */
  static async open(stateDir: string, indexPath: string): Promise<Checkpoint> {
    const checkpoint = new Checkpoint(stateDir, indexPath);
    await checkpoint.settle();
    return checkpoint;
  }

  private async settle(): Promise<void> {
    const logPath = join(this.stateDir, logFile);
    if (!(await exists(logPath))) return;
    const { lines: upTo, indexBytes } = await committedLength(logPath);
    // Rows appended after the last commit belong to a page that will be done again.
    if (indexBytes !== undefined && (await exists(this.indexPath)) && (await stat(this.indexPath)).size > indexBytes) await truncate(this.indexPath, indexBytes);
    await mergeInto(this.stateDir, committedEntries(logPath, upTo));
    await rm(logPath, { force: true });
  }

  cursor(): DoneCursor {
    return new DoneCursor(doneEntries(join(this.stateDir, doneFile))[Symbol.asyncIterator]());
  }

  /** Starts this run's log; `indexBytes` is the length of index.jsonl that is already committed. */
  async begin(indexBytes: number): Promise<void> {
    this.log = await DurableWriter.create(join(this.stateDir, logFile), 'w');
    await this.log.write(`start ${indexBytes}`);
    await this.log.sync();
  }

  /** Records a finished page: its exported keys (in listing order) and the index length that includes their rows. */
  async commit(entries: readonly DoneEntry[], indexBytes: number): Promise<void> {
    if (!this.log) throw new Error('Checkpoint.commit before begin');
    for (const entry of entries) await this.log.write(`+\t${entry.key}\t${entry.etag}`);
    await this.log.write(`commit ${indexBytes}`);
    await this.log.sync();
  }

  /** Folds this run's log into done.tsv. */
  async finish(): Promise<void> {
    await this.close();
    await this.settle();
  }

  async close(): Promise<void> {
    await this.log?.close();
    this.log = undefined;
  }
}
