import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOfSample } from './shard';

describe('--shard', () => {
  it('reads i/n, and env/n from the array job index', () => {
    expect(parseShard('3/8', {})).toEqual({ index: 3, count: 8 });
    expect(parseShard('env/4', { AWS_BATCH_JOB_ARRAY_INDEX: '2' })).toEqual({ index: 2, count: 4 });
    expect(parseShard('env/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 0, count: 4 });
  });

  it('refuses what is not a shard, saying why', () => {
    const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
      ['3', {}, /exactly one "\/"/],
      ['8/8', {}, /shard 8 does not exist among 8/],
      ['-1/2', {}, /whole number or "env"/],
      ['1/0', {}, /1 to 10000/],
      ['a/b', {}, /exactly one "\/"/],
      ['env/4', {}, /AWS_BATCH_JOB_ARRAY_INDEX nor JOB_COMPLETION_INDEX is set/],
      ['env/4', { AWS_BATCH_JOB_ARRAY_INDEX: '4' }, /shard 4 does not exist among 4/],
      ['env/4', { AWS_BATCH_JOB_ARRAY_INDEX: 'x' }, /not a whole number/],
    ];
    for (const [spec, env, why] of cases) expect(() => parseShard(spec, env), spec).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringMatching(why) }));
  });

  it('puts a sample in shard uint32be(sha256(id)[0..4]) mod n', () => {
    // sha256("01ARZ3NDEKTSV4RRFFQ69G5FAV") starts with 0x8eac53b3 (computed with `sha256sum`).
    expect(shardOfSample('01ARZ3NDEKTSV4RRFFQ69G5FAV', 1000)).toBe(0x8eac53b3 % 1000);
    expect(inShard('01ARZ3NDEKTSV4RRFFQ69G5FAV', { index: 0, count: 1 })).toBe(true);
  });
});
