// The three cdk-nag rule packs this stack must pass, and how to run them in-process.
import type { IConstruct } from 'constructs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, type NagPack } from 'cdk-nag';

export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks()];
}

export interface NagFinding {
  pack: string;
  rule: string;
  severity: 'error' | 'warning';
  path: string;
  description: string;
}

/** Every unacknowledged finding of the three packs on a construct tree. */
export function runNag(scope: IConstruct): NagFinding[] {
  const findings: NagFinding[] = [];
  for (const pack of nagPacks()) {
    const report = pack.validateScope(scope);
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        findings.push({
          pack: pack.readPackName,
          rule: v.ruleName,
          severity: v.severity === 'error' ? 'error' : 'warning',
          path: r.constructPath ?? '',
          description: v.description,
        });
      }
    }
  }
  return findings;
}

/**
 * A synthesis-time plugin for `cdk synth`/`cdk deploy`: fails on nag *errors* only (warnings are
 * reported by `npm run infra:check`, not here, so a deploy is never blocked by a warning).
 */
export class NagErrorsPlugin implements IPolicyValidationPlugin {
  readonly name = 'cdk-nag-errors';
  constructor(private readonly scope: IConstruct) {}
  validate(_context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations = [];
    for (const pack of nagPacks()) {
      const report = pack.validateScope(this.scope);
      violations.push(...report.violations.filter((v) => v.severity === 'error'));
    }
    return { success: violations.length === 0, violations };
  }
}
