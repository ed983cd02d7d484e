// Weakened templates must fail the checks: each mutation names the failures it must cause.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import type { Json } from './json';
import { failuresOf, mutations, runMutation } from './mutations';

let json: Json;
// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  json = await synthesizedTemplate();
}, 240_000);

describe('mutation tests (matrix, structural pins, alarm walk)', () => {
  it('the unmutated template has no failures at all', async () => {
    expect(await failuresOf(json)).toEqual([]);
  });

  // The floor is today's count: deleting a mutation fails this test.
  it('there are 23 mutations, structural pins among their targets', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(23);
  });

  it.each(mutations.map((m) => [m.name, m] as const))('catches: %s', async (_name, m) => {
    const result = await runMutation(json, m);
    expect(result.failures).toEqual(expect.arrayContaining(m.caughtBy));
  }, 120_000);
});
