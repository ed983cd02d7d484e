// The one-line result of `npm run infra:check -- --json`, and whether it passes.
import type { AlarmWalk } from './alarm-walk';
import { cfnLintErrorCount, type CfnLintReport } from './cfn-lint';
import type { MutationResult } from './mutations';
import type { MatrixReport } from './policy-matrix';

export interface CheckSummary {
  nag_errors: number;
  nag_acknowledged: number;
  cfn_lint_errors: number;
  policy_cases: number;
  policy_structural: number;
  policy_mutations: number;
  alarms_walked: number;
  /** Failed matrix cases + failed structural pins + broken alarm walks + mutations nobody caught. */
  policy_failures: number;
}

export function summarize(parts: {
  nagErrors: number;
  nagAcknowledged: number;
  lint: CfnLintReport;
  matrix: MatrixReport;
  structural: { ok: boolean }[];
  walks: AlarmWalk[];
  mutations: MutationResult[];
}): CheckSummary {
  return {
    nag_errors: parts.nagErrors,
    nag_acknowledged: parts.nagAcknowledged,
    cfn_lint_errors: cfnLintErrorCount(parts.lint),
    policy_cases: parts.matrix.cases,
    policy_structural: parts.structural.length,
    policy_mutations: parts.mutations.length,
    alarms_walked: parts.walks.length,
    policy_failures:
      parts.matrix.failures +
      parts.structural.filter((s) => !s.ok).length +
      parts.walks.filter((w) => !w.ok).length +
      parts.mutations.filter((m) => !m.caught).length,
  };
}

export function passes(s: CheckSummary): boolean {
  return s.nag_errors === 0 && s.cfn_lint_errors === 0 && s.policy_failures === 0;
}
