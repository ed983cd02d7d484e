// The bucket lifecycle is owned by the partition tooling, not the CDK stack (a deploy would
// wipe admins' rules). These are the rules it writes.
import type { LifecycleRule } from '@aws-sdk/client-s3';
import { voiceVaultConfig } from '../../shared/config';
import type { Partition } from '../../shared/partition';

const lifecycle = voiceVaultConfig.bucket.lifecycle;

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

/** One rule per partition that keeps raw audio: Glacier after N days, gone after M. */
export function partitionRawRule(partition: Partition): LifecycleRule {
  return {
    ID: `voicevault-raw-${partition.id}`,
    Status: 'Enabled',
    Filter: { Prefix: `${voiceVaultConfig.bucket.prefixes.raw}/${partition.id}/` },
    Transitions: [{ Days: partition.rawGlacierDays, StorageClass: 'GLACIER' }],
    Expiration: { Days: partition.rawExpireDays },
  };
}
