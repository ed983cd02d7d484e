// The policy matrix on @cloud-copilot/iam-simulate. Proof that it can fail: mutations.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import { runPolicyMatrix, type MatrixReport } from './policy-matrix';

let report: MatrixReport;
// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  report = await runPolicyMatrix(await synthesizedTemplate());
}, 240_000);

describe('policy matrix (iam-simulate runSimulation)', () => {
  // The floor is today's count: deleting a case fails this test.
  it('has 110 cases and every one matches its expectation', () => {
    expect(report.cases).toBeGreaterThanOrEqual(110);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
  });

  it('evaluates the encryption-context cases through the aws:RequestTag mapping (28 of them today)', () => {
    expect(report.ecMapped).toBeGreaterThanOrEqual(28);
  });

  it('no case leans on a context key the evaluator ignores', () => {
    expect(report.results.filter((r) => r.detail?.includes('ignored context keys'))).toEqual([]);
  });
});
