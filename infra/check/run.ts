// `npm run infra:check [-- --json]`: cdk-nag (three packs), cfn-lint, the policy matrix and the
// structural pins, on the synthesized stack. Exits non-zero if nag_errors, cfn_lint_errors or
// policy_failures is above zero (a failed structural pin counts as a policy failure).
import { synthesize } from '../lib/synth';
import { runCfnLint } from './cfn-lint';
import { runNagReport } from './nag';
import { runPolicyMatrix } from './policy-matrix';
import { runStructural } from './structural';

async function main(): Promise<number> {
  const asJson = process.argv.includes('--json');
  const log = (line = ''): void => {
    if (!asJson) process.stdout.write(`${line}\n`);
  };

  const nag = runNagReport();
  const { json } = synthesize();
  const lint = runCfnLint(json);
  const matrix = await runPolicyMatrix(json);
  const structural = runStructural(json);
  const structuralFailures = structural.filter((s) => !s.ok);

  const summary = {
    nag_errors: nag.errors.length,
    nag_acknowledged: nag.acknowledged.length,
    cfn_lint_errors: lint.available ? lint.errors.length : 1,
    policy_cases: matrix.cases,
    policy_structural: structural.length,
    policy_failures: matrix.failures + structuralFailures.length,
  };

  log('cdk-nag (AwsSolutions, NIST 800-53 rev 5, HIPAA Security)');
  for (const f of nag.errors) log(`  ERROR   ${f.rule}  ${f.path}`);
  for (const f of nag.warnings) log(`  warning ${f.rule}  ${f.path}`);
  const byCategory = new Map<string, number>();
  for (const a of nag.acknowledgements) byCategory.set(a.category, (byCategory.get(a.category) ?? 0) + 1);
  log(`  ${nag.errors.length} errors, ${nag.warnings.length} warnings, ${nag.acknowledged.length} acknowledged findings:`);
  for (const [category, n] of byCategory) log(`    ${String(n).padStart(2)} × ${category}: ${nag.acknowledgements.find((a) => a.category === category)!.reason}`);
  for (const a of nag.unused) log(`  STALE acknowledgement ${a.id} at ${a.path}`);
  log();
  log(`cfn-lint ${lint.available ? lint.version : '(not on PATH: counted as an error)'}`);
  for (const f of [...lint.errors, ...lint.warnings, ...lint.informational]) log(`  ${f.level.padEnd(13)} ${f.rule} ${f.path}: ${f.message}`);
  log(`  ${lint.errors.length} errors, ${lint.warnings.length} warnings, ${lint.informational.length} informational`);
  log();
  log('policy matrix (@cloud-copilot/iam-simulate runSimulation)');
  for (const r of matrix.results) {
    log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.expect.padEnd(16)} ${r.actual.padEnd(16)} ${r.ecMapped ? '[ec→tag] ' : ''}${r.name}${r.ok ? '' : `  (${r.detail ?? ''})`}`);
  }
  log(`  ${matrix.cases} cases (${matrix.ecMapped} with encryption-context keys mapped to aws:RequestTag/*), ${matrix.failures} failures`);
  log();
  log('structural pins (what the evaluator cannot model)');
  for (const s of structural) log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}${s.ok ? '' : `  (${s.error})`}`);
  log();

  if (asJson) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else log(JSON.stringify(summary, null, 2));
  return summary.nag_errors > 0 || summary.cfn_lint_errors > 0 || summary.policy_failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`infra:check failed to run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
