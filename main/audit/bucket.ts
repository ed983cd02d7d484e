// The bucket as a witness of the local log. Every uploaded object carries, in its metadata, the hash of
// the audit record that sealed it; that record names the object's key and ciphertext SHA-256. A local
// log that lost its last lines, or was rewritten, no longer holds those hashes, and it shows here.
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { toVoiceVaultError } from '../aws/errors';
import type { AuditRecord } from './record';

/** S3 user-metadata key (sent as x-amz-meta-voicevault-audit-head) holding the audit record hash. */
export const auditHeadMetadataKey = 'voicevault-audit-head';

/** What a reviewer with read access sees of one object. */
export interface BucketObjectView {
  key: string;
  /** Base64 SHA-256 of the whole object: S3's ChecksumSHA256, or computed from the body for a multipart object or one without a checksum. */
  sha256: string | undefined;
  metadata: Record<string, string>;
}

export interface BucketProblem {
  key: string;
  problem: string;
}

export interface BucketVerification {
  ok: boolean;
  checked: number;
  problems: BucketProblem[];
}

/**
 * Compares objects with the local chain. Pass the objects this chain's device uploaded (its contractor
 * prefixes): another device's objects name heads in another device's log.
 */
export function verifyAgainstBucket(records: readonly AuditRecord[], listing: readonly BucketObjectView[]): BucketVerification {
  const byHash = new Map(records.map((record) => [record.hash, record]));
  const problems: BucketProblem[] = [];
  for (const object of listing) {
    const report = (problem: string) => problems.push({ key: object.key, problem: `${object.key} ${problem}` });
    const head = object.metadata[auditHeadMetadataKey];
    if (!head) {
      report('carries no audit head in its metadata');
      continue;
    }
    const record = byHash.get(head);
    if (!record) {
      report(`names audit record ${head.slice(0, 12)}…, which is not in the local audit log: the log was truncated or rewritten after the upload`);
      continue;
    }
    const named = record.objects.find((o) => o.key === object.key);
    if (!named) {
      report(`names audit record ${record.seq} (${record.action}), which does not list this object`);
    } else if (object.sha256 === undefined) {
      report('has no SHA-256 checksum in the bucket to compare');
    } else if (named.sha256 !== object.sha256) {
      report(`differs from what was sealed: its SHA-256 is ${object.sha256} in the bucket but ${named.sha256} in audit record ${record.seq}`);
    }
  }
  return { ok: problems.length === 0, checked: listing.length, problems };
}

export interface ListAuditedObjectsOptions {
  bucket: string;
  /** Key prefixes to list, e.g. contractorPrefix('features', partition, contractor). */
  prefixes: readonly string[];
  /** HeadObject calls in flight at once. */
  concurrency?: number;
}

/** Lists the objects under the prefixes with their SHA-256 and metadata (ListBucket + HeadObject; GetObject where S3 holds no whole-object SHA-256). */
export async function listAuditedObjects(s3: S3Client, { bucket, prefixes, concurrency = 8 }: ListAuditedObjectsOptions): Promise<BucketObjectView[]> {
  const keys: string[] = [];
  for (const prefix of prefixes) {
    try {
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      }
    } catch (error) {
      throw toVoiceVaultError(error, `list ${prefix} in the bucket`);
    }
  }
  const views: BucketObjectView[] = new Array(keys.length);
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const index = next++;
      views[index] = await describeObject(s3, bucket, keys[index] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
  return views.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function describeObject(s3: S3Client, bucket: string, key: string): Promise<BucketObjectView> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    // A multipart object's checksum is a checksum of the part checksums (S3 says "<digest>-<parts>", moto
    // drops the suffix; both mark the ETag "-<parts>"), and an object put without one has none: hash the body.
    const multipart = head.ChecksumType === 'COMPOSITE' || Boolean(head.ETag?.includes('-')) || Boolean(head.ChecksumSHA256?.includes('-'));
    const sha256 = head.ChecksumSHA256 && !multipart ? head.ChecksumSHA256 : await hashObject(s3, bucket, key);
    return { key, sha256, metadata: head.Metadata ?? {} };
  } catch (error) {
    throw toVoiceVaultError(error, `read ${key} in the bucket`);
  }
}

async function hashObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of object.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('base64');
}
