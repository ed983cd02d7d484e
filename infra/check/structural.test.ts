// What the IAM evaluator cannot model, pinned on the template (counted as policy_structural).
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import { structuralChecks, structuralContext, type StructuralContext } from './structural';

let ctx: StructuralContext;
// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  ctx = structuralContext(await synthesizedTemplate());
}, 240_000);

describe('structural policy pins', () => {
  it.each(structuralChecks.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    c.check(ctx);
  });
  // The floor is today's count: deleting a pin fails this test.
  it('there are 28 of them', () => {
    expect(structuralChecks.length).toBeGreaterThanOrEqual(28);
  });
});
