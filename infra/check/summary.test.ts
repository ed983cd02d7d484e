// What infra:check prints and when it fails, on hand-made parts (no synthesis).
import { describe, expect, it } from 'vitest';
import type { CfnLintReport } from './cfn-lint';
import type { MatrixReport } from './policy-matrix';
import { passes, summarize } from './summary';

const clean = {
  nagErrors: 0,
  nagAcknowledged: 3,
  lint: { available: true, version: 'cfn-lint 1', errors: [], warnings: [], informational: [] } as CfnLintReport,
  matrix: { results: [], cases: 2, failures: 0, ecMapped: 1 } as MatrixReport,
  structural: [{ ok: true }],
  walks: [{ alarm: 'a', ok: true }],
  mutations: [{ name: 'm', caught: true, expected: ['x'], failures: ['x'] }],
};

describe('infra:check summary', () => {
  it('prints the six fields the issue asks for (plus acknowledgements and walked alarms) and passes when all is well', () => {
    const s = summarize(clean);
    expect(s).toEqual({ nag_errors: 0, nag_acknowledged: 3, cfn_lint_errors: 0, policy_cases: 2, policy_structural: 1, policy_mutations: 1, alarms_walked: 1, policy_failures: 0 });
    expect(passes(s)).toBe(true);
  });

  it('fails on a crashed cfn-lint, never reading it as zero findings', () => {
    const s = summarize({ ...clean, lint: { ...clean.lint, crashed: 'exit status 1' } });
    expect(s.cfn_lint_errors).toBe(1);
    expect(passes(s)).toBe(false);
  });

  it('fails on a mutation nobody caught, a broken alarm walk or a failed pin', () => {
    expect(summarize({ ...clean, mutations: [{ name: 'm', caught: false, expected: ['x'], failures: [] }] }).policy_failures).toBe(1);
    expect(summarize({ ...clean, walks: [{ alarm: 'a', ok: false, broken: 'no action' }] }).policy_failures).toBe(1);
    expect(passes(summarize({ ...clean, structural: [{ ok: false }] }))).toBe(false);
  });
});
