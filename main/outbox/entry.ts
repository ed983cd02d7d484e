// What an outbox entry is: one sample's sealed objects and how far each has got on its way to S3.
// entry.json holds this; the ciphertext sits beside it, one file per object.
import { z } from 'zod';
import type { OutboxState } from '../../shared/domain';
import { errorCodes } from '../../shared/errors';

export type SealedWith = 'kms' | 'device';

/** What the pipeline hands the outbox: ciphertext only, never plaintext. */
export interface SealedObjectInput {
  key: string;
  ciphertext: Uint8Array;
  /** Base64 SHA-256 of the ciphertext, computed when it was sealed. */
  sha256: string;
  sealedWith: SealedWith;
  /** S3 user metadata for the object. */
  metadata: Record<string, string>;
}

export interface NewOutboxEntry {
  sample: string;
  source: string;
  promptId?: string;
  /** ISO 8601. */
  createdAt: string;
  objects: SealedObjectInput[];
}

/** Sample ids become directory names, so they are restricted to what a ULID or UUID uses. */
export const sampleIdPattern = /^[0-9A-Za-z][0-9A-Za-z_-]{0,127}$/;
const objectFilePattern = /^o\d+-[0-9a-f]{12}\.sealed$/;
const base64Sha256 = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);

const uploadedPartSchema = z.object({
  partNumber: z.number().int().min(1).max(10_000),
  etag: z.string().min(1),
  /** Base64 SHA-256 of the part, sent with it and checked by S3. */
  sha256: base64Sha256,
  bytes: z.number().int().nonnegative(),
});

const multipartSchema = z.object({
  uploadId: z.string().min(1),
  partSize: z.number().int().positive(),
  parts: z.array(uploadedPartSchema),
});

const receiptSchema = z.object({
  key: z.string(),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the whole ciphertext (base64), as computed at sealing. */
  sha256: base64Sha256,
  /** The checksum S3 reported: the same SHA-256 for a single put, the composite for a multipart upload. */
  s3Checksum: z.string(),
  checksumType: z.enum(['FULL_OBJECT', 'COMPOSITE']),
  /**
   * How S3's checksum was obtained: from the upload's own answer, from HeadObject, or (when a
   * retried put met its own earlier copy and HeadObject is not allowed) from the earlier attempt,
   * whose bytes S3 had checked against the checksum sent with them.
   */
  confirmedBy: z.enum(['upload-response', 'head-object', 'earlier-attempt']),
  etag: z.string(),
  versionId: z.string().optional(),
});

const objectSchema = z.object({
  key: z.string().min(1),
  file: z.string().regex(objectFilePattern),
  bytes: z.number().int().nonnegative(),
  sha256: base64Sha256,
  sealedWith: z.enum(['kms', 'device']),
  metadata: z.record(z.string(), z.string()),
  upload: z.object({
    status: z.enum(['pending', 'done']),
    /** Set when an upload round that sends this object begins: from then on, a 412 at its key means our own copy. */
    sent: z.boolean(),
    multipart: multipartSchema.optional(),
    receipt: receiptSchema.optional(),
  }),
});

export const outboxEntrySchema = z.object({
  version: z.literal(1),
  sample: z.string().regex(sampleIdPattern),
  source: z.string(),
  promptId: z.string().optional(),
  createdAt: z.string(),
  state: z.enum(['sealed', 'waiting-for-network', 'uploading', 'uploaded', 'failed']),
  /** Upload rounds started for this entry. */
  attempts: z.number().int().nonnegative(),
  lastError: z.object({ code: z.enum(errorCodes), message: z.string() }).optional(),
  objects: z.array(objectSchema).min(1),
});

export type OutboxEntry = z.infer<typeof outboxEntrySchema>;
export type OutboxObject = OutboxEntry['objects'][number];
export type ObjectReceipt = z.infer<typeof receiptSchema>;
export type MultipartState = z.infer<typeof multipartSchema>;
export type UploadedPart = z.infer<typeof uploadedPartSchema>;

// The UI's states and the entry's must stay the same list.
const _sameStates: OutboxState extends OutboxEntry['state'] ? (OutboxEntry['state'] extends OutboxState ? true : never) : never = true;
void _sameStates;

export function isObjectFileName(name: string): boolean {
  return objectFilePattern.test(name);
}
