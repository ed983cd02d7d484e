// A single-part upload that can never make a second version: conditional on the key being new,
// SSE-KMS with the storage key, and a SHA-256 checksum S3 verifies on arrival.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import { sha256Base64 } from './checksums';

export interface PutOnceRequest {
  bucket: string;
  key: string;
  body: Uint8Array;
  storageKeyArn: string;
  contentType?: string;
}

export interface PutOnceReceipt {
  key: string;
  etag: string;
  sha256Base64: string;
  versionId?: string;
}

export { sha256Base64 };

export async function putObjectOnce(s3: S3Client, request: PutOnceRequest): Promise<PutOnceReceipt> {
  const checksum = sha256Base64(request.body);
  try {
    const response = await s3.send(
      new PutObjectCommand({
        Bucket: request.bucket,
        Key: request.key,
        Body: request.body,
        ContentType: request.contentType ?? 'application/octet-stream',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: request.storageKeyArn,
        BucketKeyEnabled: true,
        // Our SHA-256 travels with the bytes and S3 verifies it on arrival; naming the algorithm too
        // makes S3 (and moto) keep and return it, and we compare its answer with ours.
        ChecksumSHA256: checksum,
        ChecksumAlgorithm: 'SHA256',
        IfNoneMatch: '*',
      }),
    );
    if (response.ChecksumSHA256 && response.ChecksumSHA256 !== checksum) {
      throw new VoiceVaultError('Internal', `S3 stored ${request.key} with a different checksum than was sent.`);
    }
    return {
      key: request.key,
      etag: response.ETag ?? '',
      sha256Base64: checksum,
      ...(response.VersionId ? { versionId: response.VersionId } : {}),
    };
  } catch (error) {
    throw toVoiceVaultError(error, `upload ${request.key}`);
  }
}
