// Upload of sealed objects from the outbox to S3: conditional, SSE-KMS, SHA-256 checked, resumable.
export { Uploader, type DrainResult, type ProgressListener, type UploadProgress, type UploadReceipt, type UploaderOptions } from './uploader';
export { compositeSha256, sameS3Checksum, sha256Base64 } from './checksums';
export { partSizeFor, minimumPartBytes } from './multipart';
export { putObjectOnce, type PutOnceReceipt, type PutOnceRequest } from './put-once';
