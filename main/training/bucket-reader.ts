// The reader's view of the bucket: listings one page at a time (never the whole listing in memory) and
// object reads retried with full-jitter backoff when the network, S3 or KMS has a passing problem.
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import { backoffDelay, classifyFailure } from '../upload/retry';

export interface ListedObject {
  key: string;
  etag: string;
  lastModified: Date;
  size: number;
}

export interface RetryPolicy {
  /** Tries in all, on top of the SDK's own retries of a single request. */
  attempts: number;
  baseMs: number;
  capMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseMs: 200,
  capMs: 5_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Pages of the objects under `prefix`, in S3's key order (UTF-8 byte order). */
export async function* listPages(s3: S3Client, bucket: string, prefix: string, pageSize = 1000): AsyncGenerator<ListedObject[]> {
  const iterator = paginateListObjectsV2({ client: s3, pageSize }, { Bucket: bucket, Prefix: prefix })[Symbol.asyncIterator]();
  for (;;) {
    let page;
    try {
      page = await iterator.next();
    } catch (error) {
      throw toVoiceVaultError(error, `list ${prefix} in ${bucket}`);
    }
    if (page.done || !page.value) return;
    yield (page.value.Contents ?? []).map((o) => ({ key: o.Key ?? '', etag: o.ETag ?? '', lastModified: o.LastModified ?? new Date(0), size: o.Size ?? 0 }));
  }
}

const passingProblems = new Set(['KmsUnavailable', 'NetworkUnavailable', 'UploadStalled', 'Conflict']);

/** Runs `attempt` until it succeeds, a try fails for good, or the policy's tries are used up. */
export async function withRetries<T>(doing: string, policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (raw) {
      // Expired credentials count as passing: the reader's credential provider assumes the role again.
      const passing = isVoiceVaultError(raw) ? passingProblems.has(raw.code) : ['retry', 'credentials'].includes(classifyFailure(raw, doing).kind);
      if (!passing || tried >= policy.attempts) throw toVoiceVaultError(raw, doing);
      await policy.sleep(backoffDelay(tried, policy));
    }
  }
}

/** The object's bytes; NotFound when it is not there. The body is read inside the retry, so a cut-off download is tried again. */
export function fetchObject(s3: S3Client, bucket: string, key: string, policy: RetryPolicy): Promise<Uint8Array> {
  return withRetries(`read ${key}`, policy, async () => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!object.Body) throw new VoiceVaultError('NotFound', `Could not read ${key}: S3 returned no body.`);
    return object.Body.transformToByteArray();
  });
}
