// Public surface of the training side (main/training): `voicevault export` and the deletion feed.
//
//   exportDataset({ s3, bucket, open, out, partition?, since?, shard?, concurrency? }) → ExportSummary
//     the pipeline-reader role's S3 client and strict opener in; a verified dataset under `out`:
//     <partition>/<sample>.<preset>.safetensors (the stored bytes), index.jsonl, rejected.jsonl,
//     deletions.jsonl and a checkpoint (a second run fetches nothing it already has)
//   parseShard('i/n' | 'env/n', env) / shardOfSample(sample, n)   the sample → shard rule, sha256-based
//   newDeletionRecords({ partition, samples, reason }) → DeletionRecord[]   (at most 10 000 samples each)
//   appendDeletionRecord(s3, bucket, record) → { key }   deletions/<time>-<id>.json, If-None-Match: *
//     (the admin role's client; a record holds sample ids, partition, time and a reason code, nothing else)
export { exportDataset, defaultConcurrency, type ExportOptions, type ExportSummary, type ExportProgress } from './export-service';
export { parseShard, shardOfSample, inShard, describeShard, wholeExport, type Shard } from './shard';
export {
  appendDeletionRecord,
  newDeletionRecords,
  deletionRecordKey,
  checkDeletionRecord,
  parseDeletionRecord,
  deletionReasons,
  deletionRecordFormat,
  maxSamplesPerRecord,
  type DeletionRecord,
  type DeletionReason,
} from './deletion-feed';
export { featuresPath, type IndexRow, type RejectedRow, type DeletionRow, type QualitySummary } from './dataset-writer';
