// What the IAM evaluator cannot model, pinned on the template (counted as policy_structural).
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../lib/synth';
import { structuralChecks, structuralContext, type StructuralContext } from './structural';

let ctx: StructuralContext;
beforeAll(() => {
  ctx = structuralContext(synthesize().json);
});

describe('structural policy pins', () => {
  it.each(structuralChecks.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    c.check(ctx);
  });
  // The floor is today's count: deleting a pin fails this test.
  it('there are 28 of them', () => {
    expect(structuralChecks.length).toBeGreaterThanOrEqual(28);
  });
});
