// Public surface of the partition tooling (main/partitions): where a partition's configuration lives
// and how admins change it, the bucket lifecycle it implies, prompt scripts from TSV, and the
// contractor's consent-withdrawal request.
//
//   readPartitionConfig(s3, bucket, id)        → { partition, etag, versionId } (contractor or admin)
//   readForAdmin / listPartitionIds / readAllPartitionConfigs
//   createPartitionConfig(s3, bucket, json, { by })          If-None-Match: * (AlreadyExists)
//   savePartitionConfig(s3, bucket, json, { by, etag })      If-Match on the ETag read (Conflict)
//   updatePartitionConfig(s3, bucket, id, change, { by })    read → change → conditional save, re-applied on Conflict
//   validPartition(json)                       → Partition, or InvalidPartition listing every problem
//   applyLifecycle(s3, bucket, { partitions }) → global rules + one raw/<id>/ rule per partition, merged
//                                                 into the bucket's configuration and verified by re-reading
//   readLifecycleRules(s3, bucket)
//   parsePromptsTsv(text)                      → prompts, or InvalidPartition naming each bad line
//   submitWithdrawalRequest(…)                 → a sealed request under requests/<p>/<c>/<id>.sealed
export {
  createPartitionConfig,
  listPartitionIds,
  readAllPartitionConfigs,
  readForAdmin,
  readPartitionConfig,
  savePartitionConfig,
  updatePartitionConfig,
  validPartition,
  type SaveOptions,
  type StoredPartition,
} from './config-store';
export { desiredLifecycleRules, globalLifecycleRules, mergeLifecycleRules, partitionRawRule, partitionRuleIdPrefix, ruleMeaning, rulesNotApplied } from './lifecycle';
export { applyLifecycle, readLifecycleRules, type AppliedLifecycle, type ApplyLifecycleOptions } from './apply-lifecycle';
export { parsePromptsTsv } from './prompts-tsv';
export { submitWithdrawalRequest, withdrawalRequestFormat, type WithdrawalRequestOptions } from './withdrawal-request';
