// A multipart upload for a large object, resumable across processes: the UploadId and each part's
// ETag and SHA-256 are saved in the outbox entry as soon as S3 has the part, so a restart sends only
// what is missing. (@aws-sdk/lib-storage cannot resume an upload from another process, hence the
// few S3 calls here.)
import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
  type Part,
} from '@aws-sdk/client-s3';
import { VoiceVaultError } from '../../shared/errors';
import type { MultipartState, ObjectReceipt, UploadedPart } from '../outbox';
import { compositeSha256, sameS3Checksum, sha256Base64 } from './checksums';
import { checksumMismatch, confirmStoredObject, encryptionParams, saveUpload, type ObjectJob } from './object-job';
import { RequestFailure, withoutStreamRetryWarning } from './transport';

export const minimumPartBytes = 5 * 1024 * 1024;
const maximumParts = 10_000;

export function partSizeFor(objectBytes: number, preferredPartBytes: number): number {
  return Math.max(minimumPartBytes, preferredPartBytes, Math.ceil(objectBytes / maximumParts));
}

export async function putMultipartObject(job: ObjectJob): Promise<ObjectReceipt> {
  await requireSealedHash(job);
  // An upload S3 no longer knows (aborted by the bucket's lifecycle rule, say) is started afresh, once.
  for (let round = 1; ; round++) {
    try {
      return await uploadParts(job);
    } catch (error) {
      if (!(error instanceof UploadGone) || round > 1) throw error;
      await saveUpload(job, (upload) => delete upload.multipart);
      job.object = { ...job.object, upload: { ...job.object.upload, multipart: undefined } };
    }
  }
}

/** The UploadId S3 gave us is unknown to it now. */
class UploadGone extends VoiceVaultError {
  constructor(key: string) {
    super('NotFound', `The multipart upload of ${key} is no longer in S3.`);
  }
}

async function uploadParts(job: ObjectJob): Promise<ObjectReceipt> {
  const { object } = job;
  const state = object.upload.multipart ? await reconcile(job, object.upload.multipart) : await createUpload(job);
  const done = new Map(state.parts.map((p) => [p.partNumber, p]));
  const partCount = Math.max(1, Math.ceil(object.bytes / state.partSize));
  let sentBytes = state.parts.reduce((sum, p) => sum + p.bytes, 0);
  job.progress(sentBytes);

  for (let partNumber = 1; partNumber <= partCount; partNumber++) {
    if (done.has(partNumber)) continue;
    const start = (partNumber - 1) * state.partSize;
    const bytes = await job.outbox.readObjectRange(job.sample, object.key, start, state.partSize);
    const sha256 = sha256Base64(bytes);
    const base = sentBytes;
    const response = await job.transport
      .send(
        `upload part ${partNumber} of ${object.key}`,
        (client, abortSignal, stream) => {
          const command = new UploadPartCommand({
            Bucket: job.bucket,
            Key: object.key,
            UploadId: state.uploadId,
            PartNumber: partNumber,
            Body: stream,
            ContentLength: bytes.byteLength,
            ChecksumSHA256: sha256,
            ChecksumAlgorithm: 'SHA256',
          });
          withoutStreamRetryWarning(command.middlewareStack);
          return client.send(command, { abortSignal });
        },
        { body: bytes, onBytes: (sent) => job.progress(base + sent) },
      )
      .catch(rethrowGone(object.key));
    if (response.ChecksumSHA256 && response.ChecksumSHA256 !== sha256) throw checksumMismatch(`part ${partNumber} of ${object.key}`, sha256, response.ChecksumSHA256);
    if (!response.ETag) throw new VoiceVaultError('Internal', `S3 returned no ETag for part ${partNumber} of ${object.key}.`);
    const part: UploadedPart = { partNumber, etag: response.ETag, sha256, bytes: bytes.byteLength };
    done.set(partNumber, part);
    await saveUpload(job, (upload) => upload.multipart?.parts.push(part));
    sentBytes += part.bytes;
    job.progress(sentBytes);
  }

  const parts = [...done.values()].sort((a, b) => a.partNumber - b.partNumber);
  return complete(job, state.uploadId, parts);
}

async function createUpload(job: ObjectJob): Promise<MultipartState> {
  const { object } = job;
  const created = await job.transport.send(`start uploading ${object.key}`, (client, abortSignal) =>
    client.send(
      new CreateMultipartUploadCommand({
        Bucket: job.bucket,
        Key: object.key,
        ContentType: 'application/octet-stream',
        Metadata: object.metadata,
        ...encryptionParams(job.storageKeyArn),
        ChecksumAlgorithm: 'SHA256',
        ChecksumType: 'COMPOSITE',
      }),
      { abortSignal },
    ),
  );
  if (!created.UploadId) throw new VoiceVaultError('Internal', `S3 returned no UploadId for ${object.key}.`);
  const state: MultipartState = { uploadId: created.UploadId, partSize: partSizeFor(object.bytes, job.partSizeBytes), parts: [] };
  // Killed before this is saved, the upload is orphaned in S3; the bucket's lifecycle rule aborts it.
  await saveUpload(job, (upload) => (upload.multipart = state));
  return state;
}

/** Keeps the parts S3 holds with the ETag we recorded; anything else is sent again. */
async function reconcile(job: ObjectJob, state: MultipartState): Promise<MultipartState> {
  const inS3 = new Map<number, string>();
  let marker: string | undefined;
  do {
    const page = await job.transport
      .send(`resume uploading ${job.object.key}`, (client, abortSignal) =>
        client.send(
          new ListPartsCommand({ Bucket: job.bucket, Key: job.object.key, UploadId: state.uploadId, ...(marker ? { PartNumberMarker: marker } : {}) }),
          { abortSignal },
        ),
      )
      .catch(rethrowGone(job.object.key));
    for (const part of page.Parts ?? []) if (part.PartNumber && part.ETag) inS3.set(part.PartNumber, unquote(part.ETag));
    marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
  } while (marker);
  const kept = state.parts.filter((p) => inS3.get(p.partNumber) === unquote(p.etag));
  if (kept.length !== state.parts.length) {
    await saveUpload(job, (upload) => {
      if (upload.multipart) upload.multipart.parts = kept;
    });
  }
  return { ...state, parts: kept };
}

async function complete(job: ObjectJob, uploadId: string, parts: UploadedPart[]): Promise<ObjectReceipt> {
  const { object } = job;
  const expected = compositeSha256(parts.map((p) => p.sha256));
  const completedParts: Part[] = parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag, ChecksumSHA256: p.sha256 }));
  let response;
  try {
    response = await job.transport.send(`finish uploading ${object.key}`, (client, abortSignal) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: job.bucket,
          Key: object.key,
          UploadId: uploadId,
          MultipartUpload: { Parts: completedParts },
          IfNoneMatch: '*',
        }),
        { abortSignal },
      ),
    );
  } catch (error) {
    const retried = error instanceof RequestFailure && (job.sentEarlier || error.attempts > 1);
    // 412: an earlier attempt completed it. NoSuchUpload: completed by an earlier attempt, or gone.
    if (retried && error.failure.kind === 'precondition') return confirmStoredObject(job, expected, 'COMPOSITE');
    if (error instanceof RequestFailure && error.code === 'NotFound') {
      if (!retried) throw new UploadGone(object.key);
      return confirmStoredObject(job, expected, 'COMPOSITE').catch((headError: unknown) => {
        throw headError instanceof VoiceVaultError && headError.code === 'NotFound' ? new UploadGone(object.key) : headError;
      });
    }
    throw error;
  }
  // moto 5.2.1 leaves the checksum out of this answer; S3 includes it. Ask HeadObject when it is missing.
  if (!response.ChecksumSHA256) return confirmStoredObject(job, expected, 'COMPOSITE');
  if (!sameS3Checksum(expected, response.ChecksumSHA256)) throw checksumMismatch(object.key, expected, response.ChecksumSHA256);
  return {
    key: object.key,
    bytes: object.bytes,
    sha256: object.sha256,
    s3Checksum: response.ChecksumSHA256,
    checksumType: 'COMPOSITE',
    confirmedBy: 'upload-response',
    etag: response.ETag ?? '',
    ...(response.VersionId ? { versionId: response.VersionId } : {}),
  };
}

/** The parts are hashed from the file as they are sent; first make sure the file is what was sealed. */
async function requireSealedHash(job: ObjectJob): Promise<void> {
  const digest = createHash('sha256');
  const step = 8 * 1024 * 1024;
  for (let offset = 0; offset < job.object.bytes; offset += step) {
    digest.update(await job.outbox.readObjectRange(job.sample, job.object.key, offset, step));
  }
  if (digest.digest('base64') !== job.object.sha256) {
    throw new VoiceVaultError('IntegrityError', `${job.object.key} in the outbox no longer matches the SHA-256 it was sealed with; it was not uploaded.`);
  }
}

function rethrowGone(key: string) {
  return (error: unknown): never => {
    if (error instanceof RequestFailure && error.code === 'NotFound') throw new UploadGone(key);
    throw error;
  };
}

function unquote(etag: string): string {
  return etag.replaceAll('"', '');
}
