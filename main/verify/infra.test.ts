import { describe, expect, it } from 'vitest';
import { parseInfraSummary } from './infra';

describe("infra:check's summary", () => {
  it('reads the JSON object on its last line', () => {
    const out = 'cdk-nag…\n\n{"nag_errors":0,"nag_acknowledged":28,"cfn_lint_errors":0,"policy_cases":110,"policy_structural":28,"policy_mutations":23,"alarms_walked":7,"policy_failures":1}\n';
    expect(parseInfraSummary(out)).toEqual({ nag_errors: 0, nag_acknowledged: 28, cfn_lint_errors: 0, policy_cases: 110, policy_structural: 28, policy_mutations: 23, policy_failures: 1 });
  });

  it('refuses output without the summary, or one missing a figure', () => {
    expect(() => parseInfraSummary('Error: synth failed\n')).toThrow(/printed no JSON summary \(last line: Error: synth failed\)/);
    expect(() => parseInfraSummary('{"nag_errors":0}')).toThrow(/has no number nag_acknowledged/);
  });
});
