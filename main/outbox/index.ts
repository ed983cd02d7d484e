// The durable queue of sealed samples between sealing and upload.
export { Outbox, sha256Base64, type ReplacementObject } from './outbox';
export type {
  MultipartState,
  NewOutboxEntry,
  ObjectReceipt,
  OutboxEntry,
  OutboxObject,
  SealedObjectInput,
  SealedWith,
  UploadedPart,
} from './entry';
