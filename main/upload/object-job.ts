// What uploading one sealed object needs, and the steps a single put and a multipart upload share.
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import type { ObjectReceipt, Outbox, OutboxEntry, OutboxObject } from '../outbox';
import { sameS3Checksum } from './checksums';
import type { S3Transport } from './transport';

export interface ObjectJob {
  transport: S3Transport;
  outbox: Outbox;
  bucket: string;
  storageKeyArn: string;
  sample: string;
  object: OutboxObject;
  /** The object was sent in an earlier round (maybe by a process that died): a 412 now means our own copy. */
  sentEarlier: boolean;
  partSizeBytes: number;
  /** Bytes of this object sent so far (it may go back when a request is retried). */
  progress: (sent: number) => void;
}

/**
 * SSE-KMS under the storage key with the bucket key on. Never BucketKeyEnabled=false: the KMS
 * context would become the object ARN, and the storage key's policy allows only the bucket's.
 */
export function encryptionParams(storageKeyArn: string) {
  return { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: storageKeyArn, BucketKeyEnabled: true };
}

/** Changes this object's upload state in the outbox entry, durably. */
export async function saveUpload(job: ObjectJob, change: (upload: OutboxObject['upload']) => void): Promise<OutboxEntry> {
  return job.outbox.update(job.sample, (entry) => {
    const object = entry.objects.find((o) => o.key === job.object.key);
    if (!object) throw new VoiceVaultError('NotFound', `Sample ${job.sample} has no object ${job.object.key}.`);
    change(object.upload);
  });
}

/**
 * S3 already holds an object at this key, and an earlier attempt of ours may have put it there
 * (its answer was lost). HeadObject says whether it is ours: its checksum must be ours. Where the
 * contractor may not read (the real role has no GetObject), the earlier attempt's own check
 * stands: S3 stored those bytes only after checking them against the checksum sent with them.
 */
export async function confirmStoredObject(job: ObjectJob, expected: string, checksumType: ObjectReceipt['checksumType']): Promise<ObjectReceipt> {
  const { key, bytes, sha256 } = job.object;
  try {
    const head = await job.transport.send(`check ${key} in S3`, (client, abortSignal) =>
      client.send(new HeadObjectCommand({ Bucket: job.bucket, Key: key, ChecksumMode: 'ENABLED' }), { abortSignal }),
    );
    if (!head.ChecksumSHA256 || !sameS3Checksum(expected, head.ChecksumSHA256)) {
      throw new VoiceVaultError('IntegrityError', `S3 already holds a different object at ${key}; this sample was not uploaded again.`);
    }
    return {
      key,
      bytes,
      sha256,
      s3Checksum: head.ChecksumSHA256,
      checksumType,
      confirmedBy: 'head-object',
      etag: head.ETag ?? '',
      ...(head.VersionId ? { versionId: head.VersionId } : {}),
    };
  } catch (error) {
    if (isVoiceVaultError(error) && error.code === 'AccessDenied') {
      return { key, bytes, sha256, s3Checksum: expected, checksumType, confirmedBy: 'earlier-attempt', etag: '' };
    }
    throw error;
  }
}

export function checksumMismatch(key: string, expected: string, reported: string): VoiceVaultError {
  return new VoiceVaultError('IntegrityError', `S3 reported SHA-256 ${reported} for ${key}, but it was sealed as ${expected}; the sample stays in the outbox.`);
}
