// `voicevault export` as a service: turns the sealed features in the bucket into a verified local dataset.
//   1. the deletion feed first: erased samples leave the dataset (files and index rows) and are listed in
//      deletions.jsonl, and are never exported again;
//   2. then manifests/ page by page (1 000 keys, never the whole listing), each key joined with the
//      checkpoint (a sorted file read as a cursor) so that what an earlier run exported is not fetched again;
//   3. the new samples of the page in parallel (a small limit): fetched with retries, verified
//      (verify-sample.ts), written whole; the page's index rows and checkpoint entries are committed together.
// Memory holds one listing page, `concurrency` samples in flight and the set of erased sample ids.
import type { S3Client } from '@aws-sdk/client-s3';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import { voiceVaultConfig } from '../../shared/config';
import { contextFromObjectKey, type KeyContext, type Opener } from '../crypto';
import { defaultRetryPolicy, fetchObject, listPages, type ListedObject, type RetryPolicy } from './bucket-reader';
import { Checkpoint, type DoneEntry } from './checkpoint';
import { DatasetWriter, erasureKey, type DeletionRow, type IndexRow, type RejectedLog, type RejectedRow } from './dataset-writer';
import { deletionPrefix, parseDeletionRecord } from './deletion-feed';
import { describeShard, inShard, wholeExport, type Shard } from './shard';
import { verifySample, type Verdict } from './verify-sample';

export interface ExportOptions {
  /** An S3 client with the pipeline-reader role's credentials. */
  s3: S3Client;
  bucket: string;
  /** The strict opener (createOpener) on the same role. */
  open: Opener['open'];
  /** The dataset directory. */
  out: string;
  partition?: string;
  /** Only manifests stored (S3 LastModified) at or after this time. */
  since?: Date;
  shard?: Shard;
  /** Samples fetched and decrypted at once (default 8). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Keys per listing page (S3's maximum, 1 000, unless a test wants small pages). */
  pageSize?: number;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  listed: number;
  /** Samples of this run settled so far: exported, already there, rejected or skipped. */
  settled: number;
  exported: number;
  rejected: number;
}

export interface ExportSummary {
  out: string;
  shard: string;
  partition: string | null;
  since: string | null;
  /** Manifest keys listed. */
  listed: number;
  /** Listed, but stored before --since, in another shard, or erased. */
  skipped: number;
  already_exported: number;
  exported: number;
  files: number;
  bytes: number;
  rejected: number;
  /** Deletion-feed records applied by this run, the samples they name, and how many were removed here. */
  deletion_records: number;
  erased: number;
  removed: number;
  objects_fetched: number;
  seconds: number;
  /** Time spent inside each step, summed over the parallel workers (so it can exceed `seconds`). */
  busy_ms: { list: number; fetch: number; open: number; write: number };
  /** The first rejections (all of them are in rejected.jsonl). */
  rejected_examples: RejectedRow[];
}

export const defaultConcurrency = 8;
const maxConcurrency = 64;
const manifestPrefix = `${voiceVaultConfig.bucket.prefixes.manifests}/`;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Runs `work` on every item, at most `limit` at once; stops starting new items after the first failure. */
async function forEachLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

function checkOptions(options: ExportOptions): { concurrency: number; shard: Shard } {
  const concurrency = options.concurrency ?? defaultConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxConcurrency) {
    throw new VoiceVaultError('InvalidArgument', `The concurrency must be a whole number from 1 to ${maxConcurrency}, not ${options.concurrency}.`);
  }
  if (options.partition !== undefined && !idPattern.test(options.partition)) {
    throw new VoiceVaultError('InvalidArgument', `The partition ${JSON.stringify(options.partition)} is not a partition id (letters, digits, "_" and "-").`);
  }
  if (options.since !== undefined && Number.isNaN(options.since.getTime())) throw new VoiceVaultError('InvalidArgument', 'The --since time is not a valid time.');
  return { concurrency, shard: options.shard ?? wholeExport };
}

export async function exportDataset(options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const { concurrency, shard } = checkOptions(options);
  const { s3, bucket } = options;
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const busy = { list: 0, fetch: 0, open: 0, write: 0 };
  const summary: ExportSummary = {
    out: options.out,
    shard: describeShard(shard),
    partition: options.partition ?? null,
    since: options.since?.toISOString() ?? null,
    listed: 0,
    skipped: 0,
    already_exported: 0,
    exported: 0,
    files: 0,
    bytes: 0,
    rejected: 0,
    deletion_records: 0,
    erased: 0,
    removed: 0,
    objects_fetched: 0,
    seconds: 0,
    busy_ms: busy,
    rejected_examples: [],
  };
  const timed = async <T>(step: keyof typeof busy, run: () => Promise<T>): Promise<T> => {
    const from = performance.now();
    try {
      return await run();
    } finally {
      busy[step] += performance.now() - from;
    }
  };
  const fetch = (key: string) =>
    timed('fetch', async () => {
      const bytes = await fetchObject(s3, bucket, key, retry);
      summary.objects_fetched++;
      return bytes;
    });
  const sources = { fetch, open: (ciphertext: Uint8Array, key: string, extra?: Parameters<Opener['open']>[2]) => timed('open', () => options.open(ciphertext, key, extra)) };
  /** `pending` counts rejections of the page in progress, recorded when the page is committed. */
  const progress = (pending = 0) =>
    options.onProgress?.({
      listed: summary.listed,
      settled: summary.already_exported + summary.exported + summary.rejected + pending + summary.skipped,
      exported: summary.exported,
      rejected: summary.rejected + pending,
    });

  async function* timedPages(prefix: string): AsyncGenerator<ListedObject[]> {
    const pages = listPages(s3, bucket, prefix, options.pageSize);
    // The next page is asked for while this one is worked on.
    const ask = () => {
      const next = timed('list', () => pages.next());
      next.catch(() => undefined); // awaited below; a run that stops early must not leave it unhandled
      return next;
    };
    let pending = ask();
    for (;;) {
      const page = await pending;
      if (page.done) return;
      pending = ask();
      yield page.value;
    }
  }

  const writer = await DatasetWriter.open(options.out);
  let checkpoint: Checkpoint | undefined;
  let rejected: RejectedLog | undefined;
  try {
    checkpoint = await Checkpoint.open(writer.stateDir, writer.indexPath);
    await writer.refreshIndexSize();
    rejected = await writer.startRejected();
    const reject = async (row: RejectedRow) => {
      summary.rejected++;
      if (summary.rejected_examples.length < 10) summary.rejected_examples.push(row);
      await rejected!.add(row);
    };

    // 1. The deletion feed.
    const { erased, records } = await writer.readDeletions();
    const erasures: Omit<DeletionRow, 'removed'>[] = [];
    for await (const page of timedPages(deletionPrefix)) {
      for (const item of page) {
        if (records.has(item.key)) continue;
        let record;
        try {
          record = parseDeletionRecord(await fetch(item.key), item.key);
        } catch (error) {
          if (!isVoiceVaultError(error) || (error.code !== 'InvalidArgument' && error.code !== 'NotFound')) throw error;
          await reject({ key: item.key, sample: null, partition: null, check: 'deletion-record', code: error.code, reason: error.message });
          continue;
        }
        summary.deletion_records++;
        for (const sample of record.samples) {
          erased.add(erasureKey(record.partition, sample));
          erasures.push({ sample, partition: record.partition, reason: record.reason, erased_at: record.time, record: item.key });
        }
      }
    }
    if (erasures.length > 0) {
      const applied = await timed('write', () => writer.erase(erasures));
      summary.erased = applied.length;
      summary.removed = new Set(applied.filter((row) => row.removed).map((row) => erasureKey(row.partition, row.sample))).size;
    }

    // 2. and 3. The manifests, page by page.
    await checkpoint.begin(writer.indexBytes);
    const cursor = checkpoint.cursor();
    try {
      for await (const page of timedPages(options.partition ? `${manifestPrefix}${options.partition}/` : manifestPrefix)) {
        const todo: ListedObject[] = [];
        for (const item of page) {
          summary.listed++;
          let where: KeyContext;
          try {
            where = contextFromObjectKey(item.key);
          } catch (error) {
            await reject({ key: item.key, sample: null, partition: null, check: 'object-key', code: 'InvalidArgument', reason: (error as Error).message });
            continue;
          }
          if ((options.since && item.lastModified < options.since) || !inShard(where.sample, shard) || erased.has(erasureKey(where.partition, where.sample))) {
            summary.skipped++;
            continue;
          }
          const done = await cursor.find(item.key);
          if (!done) todo.push(item);
          else if (done.etag === item.etag) summary.already_exported++;
          else {
            await reject({
              key: item.key,
              sample: where.sample,
              partition: where.partition,
              check: 'changed-since-export',
              code: 'IntegrityError',
              reason: `${item.key} was replaced after it was exported (ETag ${done.etag}, now ${item.etag}); sealed objects are written once, so the exported copy is kept and the new one is not trusted.`,
            });
          }
        }
        progress();
        await exportPage(todo);
      }
    } finally {
      await cursor.close();
    }
    await checkpoint.finish();
    checkpoint = undefined;
    await rejected.finish();
    rejected = undefined;
    summary.seconds = (performance.now() - started) / 1000;
    return summary;

    async function exportPage(todo: ListedObject[]): Promise<void> {
      const written: string[] = [];
      let pending = 0;
      try {
        const verdicts = await forEachLimited(todo, concurrency, async (item): Promise<Verdict> => {
          const verdict = await verifySample(item.key, sources);
          if (verdict.ok) {
            for (const file of verdict.files) {
              await timed('write', () => writer.writeFile(file.path, file.bytes));
              written.push(file.path);
            }
            summary.exported++;
          } else {
            pending++;
          }
          progress(pending);
          return verdict;
        });
        const rows: IndexRow[] = [];
        const entries: DoneEntry[] = [];
        for (const [i, verdict] of verdicts.entries()) {
          if (verdict.ok) {
            rows.push(...verdict.files.map((f) => f.row));
            entries.push({ key: todo[i]!.key, etag: todo[i]!.etag });
            summary.files += verdict.files.length;
            summary.bytes += verdict.files.reduce((n, f) => n + f.bytes.length, 0);
          } else {
            await reject(verdict.rejected);
          }
        }
        const indexBytes = await timed('write', () => writer.appendIndexRows(rows));
        await checkpoint!.commit(entries, indexBytes);
      } catch (error) {
        // Files of a page that was not committed would have no index row: take them away again.
        await Promise.all(written.map((path) => writer.removeFile(path)));
        throw error;
      }
    }
  } finally {
    // Stopped early: what was committed is kept (a later run continues from it); this run's rejections are dropped.
    await rejected?.abandon();
    await checkpoint?.finish().catch(() => undefined);
    await writer.release();
  }
}
