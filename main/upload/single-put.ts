// One PutObject for an object below the multipart threshold: conditional on the key being new,
// SSE-KMS under the storage key, and the SHA-256 computed at sealing sent with it for S3 to check.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { VoiceVaultError } from '../../shared/errors';
import type { ObjectReceipt } from '../outbox';
import { sha256Base64 } from './checksums';
import { checksumMismatch, confirmStoredObject, encryptionParams, type ObjectJob } from './object-job';
import { RequestFailure, withoutStreamRetryWarning } from './transport';

export async function putWholeObject(job: ObjectJob): Promise<ObjectReceipt> {
  const { object } = job;
  const body = await job.outbox.readObject(job.sample, object.key);
  if (sha256Base64(body) !== object.sha256) {
    throw new VoiceVaultError('IntegrityError', `${object.key} in the outbox no longer matches the SHA-256 it was sealed with; it was not uploaded.`);
  }
  let response;
  try {
    response = await job.transport.send(
      `upload ${object.key}`,
      (client, abortSignal, stream) => {
        const command = new PutObjectCommand({
          Bucket: job.bucket,
          Key: object.key,
          Body: stream,
          ContentLength: body.byteLength,
          ContentType: 'application/octet-stream',
          Metadata: object.metadata,
          ...encryptionParams(job.storageKeyArn),
          // Both: the precomputed value travels as x-amz-checksum-sha256 and S3 checks it; naming
          // the algorithm too makes S3 (and moto, which otherwise drops it) keep and return it.
          ChecksumSHA256: object.sha256,
          ChecksumAlgorithm: 'SHA256',
          IfNoneMatch: '*',
        });
        withoutStreamRetryWarning(command.middlewareStack);
        return client.send(command, { abortSignal });
      },
      { body, onBytes: job.progress },
    );
  } catch (error) {
    // 412 after our own earlier attempt (this run's or a previous process's): that attempt got through.
    if (error instanceof RequestFailure && error.failure.kind === 'precondition' && (job.sentEarlier || error.attempts > 1)) {
      return confirmStoredObject(job, object.sha256, 'FULL_OBJECT');
    }
    throw error;
  }
  if (!response.ChecksumSHA256) return confirmStoredObject(job, object.sha256, 'FULL_OBJECT');
  if (response.ChecksumSHA256 !== object.sha256) throw checksumMismatch(object.key, object.sha256, response.ChecksumSHA256);
  return {
    key: object.key,
    bytes: object.bytes,
    sha256: object.sha256,
    s3Checksum: response.ChecksumSHA256,
    checksumType: 'FULL_OBJECT',
    confirmedBy: 'upload-response',
    etag: response.ETag ?? '',
    ...(response.VersionId ? { versionId: response.VersionId } : {}),
  };
}
