// The bucket lifecycle is owned by the partition tooling, not the CDK stack (a deploy would
// wipe admins' rules). These are the rules it writes, and how they merge into what is there.
import type { LifecycleRule } from '@aws-sdk/client-s3';
import { voiceVaultConfig } from '../../shared/config';
import type { Partition } from '../../shared/partition';

const lifecycle = voiceVaultConfig.bucket.lifecycle;

/** Rule ids of one partition's raw audio: `voicevault-raw-<partition>`. */
export const partitionRuleIdPrefix = 'voicevault-raw-';

/** Always present: no half-finished uploads linger, and deleted data really goes. */
export function globalLifecycleRules(): LifecycleRule[] {
  return [
    {
      ID: 'voicevault-abort-incomplete-multipart',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: lifecycle.abortIncompleteMultipartDays },
    },
    {
      ID: 'voicevault-expire-noncurrent-versions',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      NoncurrentVersionExpiration: { NoncurrentDays: lifecycle.noncurrentVersionExpireDays },
      Expiration: { ExpiredObjectDeleteMarker: true },
    },
  ];
}

/**
 * One rule per partition for `raw/<partition>/`: Glacier after N days, gone after M. Written for
 * partitions that keep no raw audio too: raw kept before the admin switched it off still expires.
 */
export function partitionRawRule(partition: Partition): LifecycleRule {
  return {
    ID: `${partitionRuleIdPrefix}${partition.id}`,
    Status: 'Enabled',
    Filter: { Prefix: `${voiceVaultConfig.bucket.prefixes.raw}/${partition.id}/` },
    Transitions: [{ Days: partition.rawGlacierDays, StorageClass: 'GLACIER' }],
    Expiration: { Days: partition.rawExpireDays },
  };
}

/** The global rules and one rule per partition. */
export function desiredLifecycleRules(partitions: readonly Partition[]): LifecycleRule[] {
  return [...globalLifecycleRules(), ...[...partitions].sort((a, b) => a.id.localeCompare(b.id)).map(partitionRawRule)];
}

/**
 * `current` with every rule of `desired` in place: a rule with the same id is replaced where it
 * stands, new ones are appended, and every other rule (other partitions', anyone else's) is kept.
 */
export function mergeLifecycleRules(current: readonly LifecycleRule[], desired: readonly LifecycleRule[]): LifecycleRule[] {
  const wanted = new Map(desired.map((rule) => [rule.ID, rule]));
  const merged = current.map((rule) => wanted.get(rule.ID) ?? rule);
  const present = new Set(current.map((rule) => rule.ID));
  return [...merged, ...desired.filter((rule) => !present.has(rule.ID))];
}

/** Ids of the desired rules that are absent from `current` or say something else there. */
export function rulesNotApplied(current: readonly LifecycleRule[], desired: readonly LifecycleRule[]): string[] {
  const applied = new Map(current.map((rule) => [rule.ID, ruleMeaning(rule)]));
  return desired.filter((rule) => applied.get(rule.ID) !== ruleMeaning(rule)).map((rule) => rule.ID ?? '');
}

/** What a rule does, whatever shape S3 (or moto) gives it back in: prefix, status, days, classes. */
export function ruleMeaning(rule: LifecycleRule): string {
  return JSON.stringify({
    status: rule.Status,
    prefix: rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '',
    transitions: (rule.Transitions ?? []).map((t) => [t.Days, t.StorageClass]),
    expireDays: rule.Expiration?.Days,
    expireDeleteMarkers: rule.Expiration?.ExpiredObjectDeleteMarker ?? false,
    noncurrentDays: rule.NoncurrentVersionExpiration?.NoncurrentDays,
    abortDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
  });
}
