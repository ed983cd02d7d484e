// Drains the outbox into S3. An entry leaves the outbox only after every object is in S3 with the
// SHA-256 it was sealed with (S3's own answer compared with ours) and after onUploaded has run.
import type { S3Client } from '@aws-sdk/client-s3';
import type { OutboxState, Receipt } from '../../shared/domain';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import type { ObjectReceipt, Outbox, OutboxEntry } from '../outbox';
import { minimumPartBytes, putMultipartObject } from './multipart';
import type { ObjectJob } from './object-job';
import { putWholeObject } from './single-put';
import { RequestFailure, S3Transport, UploadStopped } from './transport';

export interface UploadReceipt extends Receipt {
  objects: ObjectReceipt[];
}

export interface UploaderOptions {
  outbox: Outbox;
  /** Builds the S3 client (with the contractor's refreshing credentials); called again after onCredentialsExpired. */
  s3: () => S3Client;
  bucket: string;
  storageKeyArn: string;
  now?: () => number;
  /** Awaited before an entry's objects are sent, e.g. to re-seal device-sealed objects under KMS. */
  prepare?: (entry: OutboxEntry) => Promise<unknown>;
  /** Awaited before the entry is removed from the outbox; if it throws, the entry stays. */
  onUploaded?: (entry: OutboxEntry, receipt: UploadReceipt) => Promise<unknown> | void;
  /** S3 said the credentials expired: drop them so the next request fetches new ones. */
  onCredentialsExpired?: () => unknown;
  /** Objects larger than this go up in parts. Default 8 MiB. */
  multipartThresholdBytes?: number;
  /** Part size (at least 5 MiB, S3's minimum). Default 8 MiB. */
  partSizeBytes?: number;
  /** Attempts per S3 request before the entry waits for the next drain. Default 6. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** An upload request that moves no bytes for this long is aborted and restarted. Default 30 s. */
  stallTimeoutMs?: number;
  /** Entries uploaded at the same time by drain(). Default 2. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

export type ProgressListener = (sample: string, sentBytes: number, totalBytes: number) => void;

export interface DrainResult {
  uploaded: UploadReceipt[];
  /** Entries still in the outbox, with why. */
  remaining: { sample: string; state: OutboxState; error: VoiceVaultError }[];
}

const mebibyte = 1024 * 1024;

export class Uploader {
  private readonly transport: S3Transport;
  private readonly stopping = new AbortController();
  private readonly inFlight = new Map<string, Promise<UploadReceipt>>();
  private readonly progressBySample = new Map<string, UploadProgress>();
  private readonly listeners = new Set<ProgressListener>();
  private readonly thresholdBytes: number;
  private readonly partSizeBytes: number;

  constructor(private readonly options: UploaderOptions) {
    this.partSizeBytes = options.partSizeBytes ?? 8 * mebibyte;
    this.thresholdBytes = options.multipartThresholdBytes ?? 8 * mebibyte;
    if (this.partSizeBytes < minimumPartBytes) {
      throw new VoiceVaultError('InvalidArgument', `Multipart parts must be at least 5 MiB (S3's minimum), not ${this.partSizeBytes} bytes.`);
    }
    this.transport = new S3Transport({
      client: options.s3,
      maxAttempts: options.maxAttempts ?? 6,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffCapMs: options.backoffCapMs ?? 20_000,
      stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      random: options.random ?? Math.random,
      ...(options.onCredentialsExpired ? { onCredentialsExpired: options.onCredentialsExpired } : {}),
      stopSignal: this.stopping.signal,
    });
  }

  /** Uploads every entry that is not marked failed; never throws for one entry's failure. */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { uploaded: [], remaining: [] };
    const queue = (await this.options.outbox.list()).filter((entry) => entry.state !== 'failed').map((entry) => entry.sample);
    const worker = async () => {
      for (let sample = queue.shift(); sample !== undefined; sample = queue.shift()) {
        try {
          result.uploaded.push(await this.upload(sample));
        } catch (error) {
          const entry = await this.options.outbox.get(sample).catch(() => undefined);
          if (!entry && isVoiceVaultError(error) && error.code === 'NotFound') continue; // uploaded by a concurrent drain meanwhile
          result.remaining.push({ sample, state: entry?.state ?? 'failed', error: toVoiceVaultError(error, `upload sample ${sample}`) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 2) }, worker));
    return result;
  }

  /** Uploads one entry; resolves with its receipt once it has left the outbox. */
  upload(sample: string): Promise<UploadReceipt> {
    const running = this.inFlight.get(sample);
    if (running) return running;
    const started = this.uploadEntry(sample).finally(() => {
      this.inFlight.delete(sample);
      this.progressBySample.delete(sample);
    });
    this.inFlight.set(sample, started);
    return started;
  }

  /** Makes a failed entry eligible for the next drain again. */
  async retry(sample: string): Promise<void> {
    if (this.inFlight.has(sample)) return;
    await this.options.outbox.update(sample, (entry) => {
      entry.state = 'sealed';
      delete entry.lastError;
    });
  }

  /** Bytes sent of an entry being uploaded now. */
  progress(sample: string): UploadProgress | undefined {
    return this.progressBySample.get(sample);
  }

  isUploading(sample: string): boolean {
    return this.inFlight.has(sample);
  }

  /** Listens to upload progress; returns the function that stops listening. */
  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends in-flight requests and starts no new ones; entries stay in the outbox for next time. */
  stop(): void {
    this.stopping.abort();
  }

  /*
   * Durable writes are few on purpose (each costs an fsync of the file and of its folder): one
   * before anything is sent, one when the round ends (uploaded or not), and the multipart progress
   * in between. Killed mid-round, an object already in S3 is put again next time and meets a 412,
   * which counts as done because the object was marked as sent (see putWholeObject).
   */
  private async uploadEntry(sample: string): Promise<UploadReceipt> {
    const { outbox } = this.options;
    if (this.stopping.signal.aborted) throw new UploadStopped();
    let entry = await outbox.get(sample);
    const receipts = new Map<string, ObjectReceipt>(); // objects stored in this round, saved with its outcome
    let counted = false;
    try {
      if (entry.objects.some((o) => o.upload.status === 'pending')) {
        await this.options.prepare?.(entry);
        entry = await outbox.get(sample);
        const deviceSealed = entry.objects.find((o) => o.upload.status === 'pending' && o.sealedWith !== 'kms');
        if (deviceSealed) {
          throw new VoiceVaultError('KmsUnavailable', `${deviceSealed.key} is sealed with this device's key; it is uploaded once it has been re-sealed under KMS.`);
        }
        const sentEarlier = new Set(entry.objects.filter((o) => o.upload.sent).map((o) => o.key));
        entry = await outbox.update(sample, (e) => {
          e.state = 'uploading';
          e.attempts += 1;
          delete e.lastError;
          for (const object of e.objects) if (object.upload.status === 'pending') object.upload.sent = true;
        });
        counted = true;
        await this.sendObjects(entry, sentEarlier, receipts);
      }
      entry = await outbox.update(sample, (e) => {
        if (!counted) e.attempts += 1;
        delete e.lastError;
        e.state = 'uploaded';
        recordReceipts(e, receipts);
      });
      const receipt: UploadReceipt = {
        sample,
        uploadedAt: new Date((this.options.now ?? Date.now)()).toISOString(),
        objects: entry.objects.map((o) => o.upload.receipt).filter((r): r is ObjectReceipt => r !== undefined),
      };
      await this.options.onUploaded?.(entry, receipt);
      await outbox.remove(sample);
      return receipt;
    } catch (error) {
      const stopped = error instanceof UploadStopped || this.stopping.signal.aborted;
      const failure = toVoiceVaultError(error, `upload sample ${sample}`);
      await outbox
        .update(sample, (e) => {
          if (!counted) e.attempts += 1;
          recordReceipts(e, receipts);
          e.state = stopped ? 'sealed' : stateAfter(error, failure);
          if (stopped) delete e.lastError;
          else e.lastError = { code: failure.code, message: failure.message };
        })
        .catch(() => undefined); // the entry keeps its last saved state; the error below says what happened
      throw failure;
    }
  }

  private async sendObjects(entry: OutboxEntry, sentEarlier: Set<string>, receipts: Map<string, ObjectReceipt>): Promise<void> {
    const totalBytes = entry.objects.reduce((sum, o) => sum + o.bytes, 0);
    let finishedBytes = entry.objects.filter((o) => o.upload.status === 'done').reduce((sum, o) => sum + o.bytes, 0);
    this.report(entry.sample, finishedBytes, totalBytes);
    for (const object of entry.objects) {
      if (object.upload.status === 'done') continue;
      const base = finishedBytes;
      const job: ObjectJob = {
        transport: this.transport,
        outbox: this.options.outbox,
        bucket: this.options.bucket,
        storageKeyArn: this.options.storageKeyArn,
        sample: entry.sample,
        object,
        sentEarlier: sentEarlier.has(object.key),
        partSizeBytes: this.partSizeBytes,
        progress: (sent) => this.report(entry.sample, base + sent, totalBytes),
      };
      // An upload started in parts carries on in parts, whatever the threshold is now.
      const inParts = object.upload.multipart !== undefined || object.bytes > this.thresholdBytes;
      receipts.set(object.key, inParts ? await putMultipartObject(job) : await putWholeObject(job));
      finishedBytes += object.bytes;
      this.report(entry.sample, finishedBytes, totalBytes);
    }
  }

  private report(sample: string, sentBytes: number, totalBytes: number): void {
    this.progressBySample.set(sample, { sentBytes, totalBytes });
    for (const listener of this.listeners) listener(sample, sentBytes, totalBytes);
  }
}

function recordReceipts(entry: OutboxEntry, receipts: Map<string, ObjectReceipt>): void {
  for (const object of entry.objects) {
    const receipt = receipts.get(object.key);
    if (receipt) object.upload = { status: 'done', sent: true, receipt };
  }
}

/** Where an entry stands after a failed round: waiting (retried by the next drain) or failed (needs a person). */
function stateAfter(raw: unknown, error: VoiceVaultError): OutboxState {
  if (raw instanceof RequestFailure && raw.failure.kind === 'retry') return 'waiting-for-network';
  switch (error.code) {
    case 'NetworkUnavailable':
    case 'KmsUnavailable':
    case 'UploadStalled':
      return 'waiting-for-network';
    case 'CredentialsExpired':
    case 'SessionExpired':
      return 'sealed'; // retried after the contractor signs in again
    default:
      return 'failed';
  }
}
