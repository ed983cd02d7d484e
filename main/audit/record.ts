// One line of the audit log and how it is hashed. Each record names the hash of the one before it, so
// editing, removing, reordering or inserting a line breaks the chain from that line on.
import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json';

export interface AuditedObjectRef {
  key: string;
  /** Base64 SHA-256 of the ciphertext (what S3's ChecksumSHA256 returns). */
  sha256: string;
}

export interface AuditRecord {
  /** 1 for the first record, then one more per line. */
  seq: number;
  /** ISO 8601, from the log's clock. */
  time: string;
  /** What happened: sealed, resealed, uploaded, rejected, erased, repaired, … */
  action: string;
  sample: string | null;
  objects: AuditedObjectRef[];
  detail: { [key: string]: JsonValue };
  /** The previous record's hash; 64 zeros for the first. */
  prev: string;
  /** SHA-256 (hex) of the canonical JSON of this record without `hash`. */
  hash: string;
}

export const genesisHash = '0'.repeat(64);

const recordKeys = ['action', 'detail', 'hash', 'objects', 'prev', 'sample', 'seq', 'time'];
const hexHash = /^[0-9a-f]{64}$/;

export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { seq, time, action, sample, objects, detail, prev } = record;
  const body: JsonValue = { seq, time, action, sample, objects: objects.map(({ key, sha256 }) => ({ key, sha256 })), detail, prev };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** The line as written: canonical JSON of the whole record (hash included), newline-terminated. */
export function recordLine(record: AuditRecord): string {
  return `${canonicalJson(record as unknown as JsonValue)}\n`;
}

/** Why a parsed JSON value is not an audit record, or undefined if it is one. */
export function recordShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join() !== recordKeys.join()) return `its fields are ${keys.join(', ')} instead of ${recordKeys.join(', ')}`;
  if (!Number.isSafeInteger(record.seq) || (record.seq as number) < 1) return 'its seq is not a positive integer';
  if (typeof record.time !== 'string' || Number.isNaN(Date.parse(record.time))) return 'its time is not a date';
  if (typeof record.action !== 'string') return 'its action is not a string';
  if (record.sample !== null && typeof record.sample !== 'string') return 'its sample is neither a string nor null';
  if (!Array.isArray(record.objects) || !record.objects.every((o) => typeof o?.key === 'string' && typeof o?.sha256 === 'string')) return 'its objects are not a list of { key, sha256 }';
  if (typeof record.detail !== 'object' || record.detail === null || Array.isArray(record.detail)) return 'its detail is not an object';
  if (typeof record.prev !== 'string' || !hexHash.test(record.prev)) return 'its prev is not a SHA-256';
  if (typeof record.hash !== 'string' || !hexHash.test(record.hash)) return 'its hash is not a SHA-256';
  return undefined;
}
