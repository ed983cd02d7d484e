// The SHA-256 values S3 reports for what it stored, computed here from our side so the two can be
// compared: the plain SHA-256 for a single put, and for a multipart upload the "composite", the
// SHA-256 of the concatenated binary part digests followed by "-<number of parts>".
import { createHash } from 'node:crypto';

export { sha256Base64 } from '../outbox';

/** S3's composite checksum of a multipart object, from the base64 SHA-256 of each part in order. */
export function compositeSha256(partSha256s: string[]): string {
  const digest = createHash('sha256');
  for (const part of partSha256s) digest.update(Buffer.from(part, 'base64'));
  return `${digest.digest('base64')}-${partSha256s.length}`;
}

/**
 * True when S3's reported checksum is the expected one. A composite may come back without its
 * "-N" suffix (moto 5.2.1's HeadObject drops it); the digest itself must always match.
 */
export function sameS3Checksum(expected: string, reported: string): boolean {
  if (reported === expected) return true;
  const [digest, parts] = expected.split('-');
  return parts !== undefined && reported === digest;
}
