// Writes the bucket's lifecycle: the global rules and one rule per partition, merged into whatever
// is there. S3 has no conditional write for the lifecycle configuration, so two admins applying at
// once could each write what they read plus their own rule and lose the other's. Each attempt
// therefore reads the partitions and the rules afresh, writes the merge, and the next attempt is the
// verification: when a rule is missing (someone else's write landed after our read), it is merged
// in again, after a random pause so two writers do not keep colliding.
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, type LifecycleRule, type S3Client } from '@aws-sdk/client-s3';
import { VoiceVaultError } from '../../shared/errors';
import type { Partition } from '../../shared/partition';
import { toVoiceVaultError } from '../aws/errors';
import { desiredLifecycleRules, mergeLifecycleRules, rulesNotApplied } from './lifecycle';

export interface ApplyLifecycleOptions {
  /** Every partition's configuration as it is now (read again on every attempt). */
  partitions: () => Promise<Partition[]>;
  attempts?: number;
  /** Pause before verifying (and between retries): up to this many milliseconds, randomised. */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface AppliedLifecycle {
  /** The configuration as read back after the last write, the rules of every partition in it. */
  rules: LifecycleRule[];
  /** How many writes it took (0: everything was already in place). */
  writes: number;
}

export async function readLifecycleRules(s3: S3Client, bucket: string): Promise<LifecycleRule[]> {
  try {
    return (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchLifecycleConfiguration') return [];
    throw toVoiceVaultError(error, 'read the bucket lifecycle');
  }
}

export async function applyLifecycle(s3: S3Client, bucket: string, options: ApplyLifecycleOptions): Promise<AppliedLifecycle> {
  const attempts = options.attempts ?? 6;
  const settleMs = options.settleMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let writes = 0;
  let missing: string[] = [];
  // One more round than writes: the last read verifies the last write.
  for (let round = 0; round <= attempts; round += 1) {
    const desired = desiredLifecycleRules(await options.partitions());
    const current = await readLifecycleRules(s3, bucket);
    missing = rulesNotApplied(current, desired);
    if (missing.length === 0) return { rules: current, writes };
    if (round === attempts) break;
    try {
      await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: mergeLifecycleRules(current, desired) } }));
    } catch (error) {
      throw toVoiceVaultError(error, 'write the bucket lifecycle');
    }
    writes += 1;
    await sleep(settleMs * (0.5 + random()) * Math.min(round + 1, 4));
  }
  throw new VoiceVaultError('Conflict', `The bucket lifecycle kept changing under us (${writes} writes); these rules are still not in place: ${missing.join(', ')}. Run voicevault admin lifecycle apply again.`);
}
