// The deletion feed: when an admin erases a contractor or a sample, a small JSON record naming the erased
// sample ids is written under deletions/ — append-only (a conditional put that never replaces, and a bucket
// policy that denies overwrites and deletes), so everyone who exported the data learns what to drop.
// A record carries sample ids, the partition, the time and a reason code, and nothing else: the strict
// schema refuses any other field, so no name, e-mail or contractor id can ride along.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { z } from 'zod';
import { voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';

export const deletionRecordFormat = 'voicevault-deletion/1';

export const deletionReasons = ['contractor-erased', 'sample-erased', 'consent-withdrawn', 'retention-expired'] as const;
export type DeletionReason = (typeof deletionReasons)[number];

/** One record names at most this many samples; a larger erasure is written as several records. */
export const maxSamplesPerRecord = 10_000;

export const deletionPrefix = `${voiceVaultConfig.bucket.prefixes.deletions}/`;

// The same rule as the ids in object keys (main/crypto/context.ts): letters, digits, "_" and "-".
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'letters, digits, "_" and "-" only (at most 128)');

const deletionRecordSchema = z.strictObject({
  format: z.literal(deletionRecordFormat),
  id,
  time: z.iso.datetime(),
  partition: id,
  samples: z
    .array(id)
    .min(1)
    .max(maxSamplesPerRecord)
    .refine((samples) => new Set(samples).size === samples.length, 'a sample is named twice'),
  reason: z.enum(deletionReasons),
});

export type DeletionRecord = z.infer<typeof deletionRecordSchema>;

function invalidRecord(what: string, error: z.ZodError): VoiceVaultError {
  const issue = error.issues[0];
  const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return new VoiceVaultError('InvalidArgument', `${what} is not a valid deletion record (${field}${issue?.message ?? 'unknown problem'}).`);
}

export function checkDeletionRecord(record: unknown, what = 'The record'): DeletionRecord {
  const parsed = deletionRecordSchema.safeParse(record);
  if (!parsed.success) throw invalidRecord(what, parsed.error);
  return parsed.data;
}

/** deletions/<time>-<id>.json, the time compact (20260501T120000123Z) so that keys list in time order. */
export function deletionRecordKey(record: Pick<DeletionRecord, 'time' | 'id'>): string {
  const compact = new Date(record.time).toISOString().replace(/[-:.]/g, '');
  return `${deletionPrefix}${compact}-${record.id}.json`;
}

/** The records for one erasure, split so that none names more than maxSamplesPerRecord samples. */
export function newDeletionRecords(
  erasure: { partition: string; samples: readonly string[]; reason: DeletionReason },
  now: Date = new Date(),
  newId: () => string = ulid,
): DeletionRecord[] {
  const records: DeletionRecord[] = [];
  for (let at = 0; at < erasure.samples.length || at === 0; at += maxSamplesPerRecord) {
    records.push(
      checkDeletionRecord({
        format: deletionRecordFormat,
        id: newId(),
        time: now.toISOString(),
        partition: erasure.partition,
        samples: erasure.samples.slice(at, at + maxSamplesPerRecord),
        reason: erasure.reason,
      }),
    );
  }
  return records;
}

/**
 * Writes one record with If-None-Match: * (S3 answers 412 rather than replace an existing record: AlreadyExists).
 * `s3` must carry credentials allowed to write deletions/ (the admin role).
 */
export async function appendDeletionRecord(s3: S3Client, bucket: string, record: DeletionRecord): Promise<{ key: string }> {
  const checked = checkDeletionRecord(record);
  const key = deletionRecordKey(checked);
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(checked)}\n`,
        ContentType: 'application/json',
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  } catch (error) {
    throw toVoiceVaultError(error, `append the deletion record ${key}`);
  }
  return { key };
}

/** Reads a record fetched from `key`; refuses one that is not valid or does not belong at that key. */
export function parseDeletionRecord(bytes: Uint8Array, key: string): DeletionRecord {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new VoiceVaultError('InvalidArgument', `${key} is not a valid deletion record (not JSON).`);
  }
  const record = checkDeletionRecord(json, key);
  if (deletionRecordKey(record) !== key) {
    throw new VoiceVaultError('InvalidArgument', `${key} is not a valid deletion record: its time and id say it belongs at ${deletionRecordKey(record)}.`);
  }
  return record;
}
