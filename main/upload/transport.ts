// Sends one S3 request until it succeeds or is not worth another try: retries with backoff and
// jitter, refreshes expired credentials, and aborts an attempt that makes no progress (the
// watchdog), so a stalled connection is restarted instead of hanging the outbox.
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger, MiddlewareStack } from '@aws-sdk/types';
import { VoiceVaultError } from '../../shared/errors';
import { backoffDelay, classifyFailure, type Failure } from './retry';

export interface TransportOptions {
  /** Called for the first request and again after the credentials were refreshed; the uploader never destroys its clients. */
  client: () => S3Client;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** An attempt that sends no body bytes and gets no answer for this long is aborted and tried again. */
  stallTimeoutMs: number;
  /** Replaces the real wait between attempts (tests record the delays instead). */
  sleep?: (ms: number) => Promise<void>;
  random: () => number;
  onCredentialsExpired?: () => unknown;
  /** Aborted when the uploader stops: in-flight attempts end and no new ones start. */
  stopSignal: AbortSignal;
}

/** A request that failed for good, with the number of attempts made (more than one: it was retried). */
export class RequestFailure extends VoiceVaultError {
  constructor(
    readonly failure: Failure,
    readonly attempts: number,
  ) {
    super(failure.error.code, failure.error.message, { cause: failure.error.cause });
    this.name = 'RequestFailure';
  }
}

export class UploadStopped extends VoiceVaultError {
  constructor() {
    super('Internal', 'Uploading was stopped; it carries on the next time VoiceVault uploads.');
    this.name = 'UploadStopped';
  }
}

export type S3Request<T> = (client: S3Client, abortSignal: AbortSignal, body: Readable | undefined) => Promise<T>;

export interface RequestOptions {
  /** The request body, handed to the SDK as a stream so progress and stalls can be seen. */
  body?: Uint8Array;
  /** Bytes of the body taken by the connection so far in this attempt. */
  onBytes?: (sent: number) => void;
}

const chunkBytes = 64 * 1024;

export class S3Transport {
  private current: S3Client | undefined;

  constructor(private readonly options: TransportOptions) {}

  async send<T>(doing: string, request: S3Request<T>, options: RequestOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.options.stopSignal.aborted) throw new UploadStopped();
      const outcome = await this.attempt(doing, request, options);
      if (outcome.ok) return outcome.value;
      const { failure } = outcome;
      const more = attempt < this.options.maxAttempts;
      if (failure.kind === 'credentials' && more && this.options.onCredentialsExpired) {
        await this.options.onCredentialsExpired();
        this.current = undefined;
        continue;
      }
      if (failure.kind === 'retry' && more) {
        await this.pause(backoffDelay(attempt, { baseMs: this.options.backoffBaseMs, capMs: this.options.backoffCapMs, random: this.options.random }));
        continue;
      }
      throw new RequestFailure(failure, attempt);
    }
  }

  private async attempt<T>(doing: string, request: S3Request<T>, options: RequestOptions): Promise<{ ok: true; value: T } | { ok: false; failure: Failure }> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    this.options.stopSignal.addEventListener('abort', stop);
    const started = performance.now();
    let lastProgress = started;
    let stalled = false;
    // Once the whole body is handed over, the OS may still be sending what it buffered (megabytes on
    // a slow uplink): allow as long as handing it over took before calling it a stall.
    let allowed = this.options.stallTimeoutMs;
    const watchdog = setInterval(
      () => {
        if (performance.now() - lastProgress < allowed) return;
        stalled = true;
        abort.abort();
      },
      Math.max(20, Math.min(1000, this.options.stallTimeoutMs / 5)),
    );
    const body = options.body
      ? progressStream(options.body, (sent) => {
          lastProgress = performance.now();
          if (sent === options.body?.byteLength) allowed = Math.max(this.options.stallTimeoutMs, lastProgress - started);
          options.onBytes?.(sent);
        })
      : undefined;
    try {
      this.current ??= this.options.client();
      return { ok: true, value: await request(this.current, abort.signal, body) };
    } catch (raw) {
      if (this.options.stopSignal.aborted) throw new UploadStopped();
      if (stalled) {
        const seconds = Math.round(allowed / 100) / 10;
        return { ok: false, failure: { kind: 'retry', error: new VoiceVaultError('UploadStalled', `Could not ${doing}: nothing moved for ${seconds} s, so it was restarted.`) } };
      }
      return { ok: false, failure: classifyFailure(raw, doing) };
    } finally {
      clearInterval(watchdog);
      this.options.stopSignal.removeEventListener('abort', stop);
      body?.destroy();
    }
  }

  /** Waits between attempts; stop() cuts the wait short (and clears the timer, so a closing process is not held up). */
  private async pause(ms: number): Promise<void> {
    if (ms <= 0) return;
    const signal = this.options.stopSignal;
    let onStop: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<void>((resolve) => {
      onStop = resolve;
      signal.addEventListener('abort', onStop, { once: true });
    });
    const slept = this.options.sleep ? this.options.sleep(ms) : new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    try {
      await Promise.race([slept, stopped]);
    } finally {
      clearTimeout(timer);
      if (onStop) signal.removeEventListener('abort', onStop);
    }
  }
}

const quietLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The SDK does not retry a request with a streamed body and says so on the console ("non-retryable
 * streaming request"); here that is by design, since this transport retries. Keeps the CLI's output clean.
 */
export function withoutStreamRetryWarning<I extends object, O extends object>(stack: MiddlewareStack<I, O>): void {
  stack.add(
    (next, context) => (args) => {
      context.logger = quietLogger;
      return next(args);
    },
    { step: 'initialize', name: 'voiceVaultQuietStreamRetry' },
  );
}

/** The body as a byte stream in 64 KiB chunks, reporting how much of it the connection has taken. */
function progressStream(bytes: Uint8Array, onBytes: (sent: number) => void): Readable {
  function* chunks() {
    for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
      const end = Math.min(bytes.byteLength, offset + chunkBytes);
      yield Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset);
      onBytes(end);
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: chunkBytes });
}
