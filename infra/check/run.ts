// `npm run infra:check [-- --json]`: cdk-nag (three packs), cfn-lint, the policy matrix, the
// structural pins, the alarm walk and the mutation tests, on the synthesized stack. Exits non-zero
// if nag_errors, cfn_lint_errors or policy_failures is above zero (a failed pin, a broken alarm
// walk and a mutation nobody caught each count as a policy failure; a crashed cfn-lint as an error).
import { synthesize } from '../lib/synth';
import { walkAlarms } from './alarm-walk';
import { runCfnLint } from './cfn-lint';
import { runMutations } from './mutations';
import { runNagReport } from './nag';
import { runPolicyMatrix } from './policy-matrix';
import { runStructural } from './structural';
import { passes, summarize } from './summary';

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
  const walks = await walkAlarms(json);
  const mutations = await runMutations(json);
  const summary = summarize({ nagErrors: nag.errors.length, nagAcknowledged: nag.acknowledged.length, lint, matrix, structural, walks, mutations });

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
  if (lint.crashed) log(`  CRASHED (counted as an error): ${lint.crashed}`);
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
  log('alarm walk (alarm → topic → topic policy allows CloudWatch → topic key allows CloudWatch for that topic)');
  for (const w of walks) log(`  ${w.ok ? 'ok  ' : 'FAIL'} ${w.alarm}${w.broken ? `  (${w.broken})` : ''}`);
  log();
  log('mutations (each weakened template must fail the checks above)');
  for (const m of mutations) {
    log(`  ${m.caught ? 'caught' : 'MISSED'} ${m.name}`);
    if (!m.caught) log(`         expected ${m.expected.filter((e) => !m.failures.includes(e)).join('; ')}`);
  }
  log();

  if (asJson) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else log(JSON.stringify(summary, null, 2));
  return passes(summary) ? 0 : 1;
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
