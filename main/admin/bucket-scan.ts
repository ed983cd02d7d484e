// One pass over the data prefixes of the bucket, from keys, sizes and dates only (the admin role can
// list but never decrypt): per partition the samples, bytes, contributors and last upload; per
// contractor the newest object; and the pending consent-withdrawal requests.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { voiceVaultConfig } from '../../shared/config';
import { toVoiceVaultError } from '../aws/errors';
import { contextFromObjectKey } from '../crypto';

export interface PartitionActivity {
  contributors: Set<string>;
  samples: number;
  bytes: number;
  lastUpload?: Date;
}

export interface PendingRequest {
  key: string;
  partition: string;
  contractor: string;
  requestId: string;
  requestedAt: Date;
}

export interface BucketScan {
  partitions: Map<string, PartitionActivity>;
  /** Contractor id (user-pool sub) → their newest object anywhere in the bucket. */
  lastActivity: Map<string, Date>;
  requests: PendingRequest[];
}

const prefixes = voiceVaultConfig.bucket.prefixes;
const sampleTops = [prefixes.raw, prefixes.features, prefixes.manifests];

/** Every current object under `prefix`, a page at a time. */
export async function* listObjects(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<{ key: string; size: number; lastModified: Date }> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    } catch (error) {
      throw toVoiceVaultError(error, `list ${prefix} in the bucket`);
    }
    for (const object of page.Contents ?? []) {
      if (object.Key) yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

export async function scanBucket(s3: S3Client, bucket: string): Promise<BucketScan> {
  const scan: BucketScan = { partitions: new Map(), lastActivity: new Map(), requests: [] };
  const touch = (contractor: string, when: Date) => {
    const seen = scan.lastActivity.get(contractor);
    if (!seen || seen < when) scan.lastActivity.set(contractor, when);
  };
  for (const top of sampleTops) {
    for await (const object of listObjects(s3, bucket, `${top}/`)) {
      const [, partition, contractor] = object.key.split('/');
      if (!partition || !contractor) continue;
      let activity = scan.partitions.get(partition);
      if (!activity) scan.partitions.set(partition, (activity = { contributors: new Set(), samples: 0, bytes: 0 }));
      activity.contributors.add(contractor);
      activity.bytes += object.size;
      if (top === prefixes.manifests) activity.samples += 1;
      if (!activity.lastUpload || activity.lastUpload < object.lastModified) activity.lastUpload = object.lastModified;
      touch(contractor, object.lastModified);
    }
  }
  scan.requests = await listPendingRequests(s3, bucket);
  for (const request of scan.requests) touch(request.contractor, request.requestedAt);
  return scan;
}

/** Consent-withdrawal requests still in the bucket (erase removes them with the rest), oldest first. */
export async function listPendingRequests(s3: S3Client, bucket: string): Promise<PendingRequest[]> {
  const requests: PendingRequest[] = [];
  for await (const object of listObjects(s3, bucket, `${prefixes.requests}/`)) {
    let context;
    try {
      context = contextFromObjectKey(object.key);
    } catch {
      continue; // not a request the app wrote; nothing to act on
    }
    requests.push({ key: object.key, partition: context.partition, contractor: context.contractor, requestId: context.sample, requestedAt: object.lastModified });
  }
  return requests.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());
}
