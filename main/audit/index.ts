// Public surface of the audit stage (main/audit): a hash-chained local log, checked on its own and
// against the bucket.
//
//   AuditLog.open(path, { now? })          creates or opens <path> (JSONL, 0600); a torn last line from a
//                                          crash is cut off and a `repaired` record says so
//     .append({ action, sample?, objects?: [{ key, sha256 }], detail? })
//                                        → AuditRecord { seq, time, action, sample, objects, detail, prev, hash }
//                                          hash = SHA-256 hex of the canonical JSON of the record without
//                                          `hash`; prev of the first record = 64 zeros. Appends run one at
//                                          a time (O_APPEND + fdatasync) and resolve once on disk.
//     .head()                              the latest record's hash
//     .close()
//   verifyAuditChain(path)               → { ok, records, problems: [{ line, problem }], head }: edited,
//                                          removed, reordered, inserted and torn lines
//   auditHeadMetadataKey                   'voicevault-audit-head': the uploader puts the hash of the
//                                          sample's `sealed` (or `resealed`) record there on every object
//   listAuditedObjects(s3, { bucket, prefixes })  → [{ key, sha256, metadata }] as a reviewer sees them
//   verifyAgainstBucket(records, listing) → { ok, checked, problems: [{ key, problem }] }: every object's
//                                          head must be in the chain and its record must name that key
//                                          with that SHA-256; a truncated or rewritten log shows as
//                                          objects whose heads are unknown
export { AuditLog, type AuditEntry, type AuditLogOptions } from './log';
export { verifyAuditChain, verifyAuditText, type ChainVerification, type ChainProblem } from './verify-chain';
export {
  auditHeadMetadataKey,
  listAuditedObjects,
  verifyAgainstBucket,
  type BucketObjectView,
  type BucketProblem,
  type BucketVerification,
  type ListAuditedObjectsOptions,
} from './bucket';
export { genesisHash, hashRecord, type AuditRecord, type AuditedObjectRef } from './record';
export { canonicalJson, type JsonValue } from './canonical-json';
