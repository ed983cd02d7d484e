// `--shard i/n`: which part of the export this process does. A sample belongs to shard
// uint32be(sha256(sample id)[0..4]) mod n, so N machines share one export without talking to each other,
// and shards 0/n … n-1/n together are exactly one unsharded run. `env/n` takes i from the job's array index
// (AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX; Kubernetes indexed jobs: JOB_COMPLETION_INDEX).
import { createHash } from 'node:crypto';
import { VoiceVaultError } from '../../shared/errors';

export interface Shard {
  index: number;
  count: number;
}

export const wholeExport: Shard = { index: 0, count: 1 };

const arrayIndexVariables = ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX'] as const;
const maxShards = 10_000;

function invalid(spec: string, why: string): VoiceVaultError {
  return new VoiceVaultError('InvalidArgument', `--shard ${JSON.stringify(spec)} is not valid: ${why}. Use i/n (e.g. 0/4) or env/n inside an array job.`);
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const [indexText, countText, ...rest] = spec.split('/');
  const count = wholeNumber(countText);
  if (rest.length > 0 || count === undefined) throw invalid(spec, 'it needs exactly one "/" followed by the number of shards');
  if (count < 1 || count > maxShards) throw invalid(spec, `the number of shards must be 1 to ${maxShards}`);
  let index: number | undefined;
  if (indexText === 'env') {
    const variable = arrayIndexVariables.find((name) => env[name] !== undefined && env[name] !== '');
    if (!variable) throw invalid(spec, `neither ${arrayIndexVariables.join(' nor ')} is set, so this is not an array job`);
    index = wholeNumber(env[variable]);
    if (index === undefined) throw invalid(spec, `${variable}=${JSON.stringify(env[variable])} is not a whole number`);
  } else {
    index = wholeNumber(indexText);
    if (index === undefined) throw invalid(spec, 'the shard index must be a whole number or "env"');
  }
  if (index >= count) throw invalid(spec, `shard ${index} does not exist among ${count} (they are numbered 0 to ${count - 1}, and an array job's size must equal n)`);
  return { index, count };
}

export function shardOfSample(sample: string, count: number): number {
  return createHash('sha256').update(sample, 'utf8').digest().readUInt32BE(0) % count;
}

export function inShard(sample: string, shard: Shard): boolean {
  return shard.count === 1 || shardOfSample(sample, shard.count) === shard.index;
}

export function describeShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
