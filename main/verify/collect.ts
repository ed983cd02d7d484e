// Runs every part of verify and turns what each found into figures. The test suites are not run again:
// their results come from the reports of the run before (test-reports.ts). What only verify measures runs
// here: the infrastructure checks, the scanners, the demo and its bucket, the dependency audit and SBOM,
// and the intelligibility of stored features. A part that cannot run gives null figures with its reason.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { citedIntelligibility } from '../../shared/intelligibility';
import { collectBucketEvidence } from './bucket-evidence';
import { checklistFromRun } from './checklist';
import { auditShipped, bundledPackages, componentsOf, excludedPackages, licencesOfShipped, readBuilderConfig, writeSbom } from './dependencies';
import type { Figure, Figures, FigureKey } from './figures';
import { runInfraCheck } from './infra';
import { measureIntelligibility, referencePython } from './intelligibility';
import { badInputs, exactlyOnceProblems, faultsFromRun } from './robustness';
import { lintSdl, runElectronegativity } from './scanners';
import { readTestRun, type TestRun } from './test-reports';
import { parseThreatModel, threatCoverage, threatModelPath } from './threat-model';


type Part = Partial<Record<FigureKey, Figure>>;

const unknown = (keys: readonly FigureKey[], reason: string): Part => Object.fromEntries(keys.map((k) => [k, { value: null, problems: [reason] }]));

/** Runs a part; if it throws, its figures are null with the reason. */
async function part(name: string, keys: readonly FigureKey[], log: (line: string) => void, measure: () => Promise<Part>): Promise<Part> {
  const started = Date.now();
  log(`verify: ${name}…`);
  try {
    const result = await measure();
    log(`verify: ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`verify: ${name} could not run: ${message}`);
    return unknown(keys, `${name} could not run: ${message}`);
  }
}

/** From the test run: checklist, bad inputs, faults and threats. */
export async function figuresFromRun(root: string, run: TestRun): Promise<Part> {
  const reportProblems = run.missing;
  const checklist = checklistFromRun(run);
  const inputs = badInputs(run);
  const faults = faultsFromRun(run);
  const out: Part = {
    checklist_passed: { value: checklist.passed, note: 'items with a passing test, from the run', problems: [...reportProblems, ...checklist.problems] },
    checklist_total: { value: checklist.total, note: 'the Electron security checklist' },
    bad_inputs_tried: { value: inputs.tried.value, note: 'malformed-audio corpus + fuzz cases run', problems: [...reportProblems, ...inputs.tried.problems] },
    bad_input_crashes: { value: inputs.crashes.value, note: 'bad-input tests that failed', problems: [...reportProblems, ...inputs.crashes.problems] },
    faults_tried: { value: faults.tried.value, note: `scenarios + SIGKILLs: ${faults.kinds.join(', ')}`, problems: [...reportProblems, ...faults.tried.problems] },
    faults_survived: { value: faults.survived.value, note: 'faults whose test passed', problems: [...reportProblems, ...faults.survived.problems] },
  };
  const modelPath = join(root, threatModelPath);
  if (!existsSync(modelPath)) Object.assign(out, unknown(['threats', 'threats_with_tests'], `${threatModelPath} does not exist`));
  else {
    const coverage = threatCoverage(parseThreatModel(await readFile(modelPath, 'utf8')), run);
    out.threats = { value: coverage.threats, note: `threats in ${threatModelPath}` };
    out.threats_with_tests = { value: coverage.covered, note: 'every named test in the run and passed', problems: [...reportProblems, ...coverage.problems] };
  }
  return out;
}

/** `reports` holds the test run's reports; verify writes its artifacts (SBOM, verify.json) beside them. */
export async function collectFigures(root: string, reports: string, log: (line: string) => void): Promise<Figures> {
  await mkdir(reports, { recursive: true });
  const run = readTestRun(root, reports);
  for (const missing of run.missing) log(`verify: ${missing}`);
  const fromRun = await figuresFromRun(root, run);
  const onceProblems = exactlyOnceProblems(run);

  // Two lanes: the CPU-bound parts one after another, and beside them the parts that mostly wait.
  const cpuLane = async (): Promise<Part[]> => [
    await part('infra:check', ['nag_errors', 'cfn_lint_errors', 'policy_cases', 'policy_structural', 'policy_mutations', 'policy_failures'], log, async () => {
      const s = await runInfraCheck(root);
      return {
        nag_errors: { value: s.nag_errors, note: `cdk-nag errors (${s.nag_acknowledged} acknowledged with reasons)` },
        cfn_lint_errors: { value: s.cfn_lint_errors, note: 'cfn-lint errors on the synthesized template' },
        policy_cases: { value: s.policy_cases, note: 'IAM policy matrix cases (iam-simulate)' },
        policy_structural: { value: s.policy_structural, note: 'structural pins' },
        policy_mutations: { value: s.policy_mutations, note: 'weakened templates that must be caught' },
        policy_failures: { value: s.policy_failures, note: 'failed cases, pins, alarm walks, missed mutations' },
      };
    }),
    await part('ESLint (Microsoft SDL rules)', ['eslint_sdl_findings'], log, async () => {
      const lint = await lintSdl(root);
      const by = Object.entries(lint.active.bySeverity).map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
      if (lint.fatal.length > 0) return { eslint_sdl_findings: { value: null, problems: [`ESLint could not parse ${lint.fatal.length} files: ${lint.fatal[0]}`] } };
      return { eslint_sdl_findings: { value: lint.active.total, note: `findings: ${by}; ${lint.suppressed} suppressed in place with a reason`, problems: lint.active.findings.map((f) => `${f.check} at ${f.where}`) } };
    }),
    await part('demo and bucket evidence', ['samples_lost', 'duplicates', 'plaintext_leaks', 'objects_wrong_key'], log, async () => {
      const evidence = await collectBucketEvidence(() => undefined);
      const { inspection, demo, lost } = evidence;
      const where = demo.plaintext_leaks_where.join(', ');
      return {
        samples_lost: { value: onceProblems.length > 0 ? null : lost.length, note: `demo samples not all in the bucket; exactly-once tests passed`, problems: [...onceProblems, ...lost.map((s) => `lost: ${s}`)] },
        duplicates: {
          value: onceProblems.length > 0 ? null : inspection.duplicates.length,
          note: `keys with more than one version, of ${inspection.objects} object versions`,
          problems: [...onceProblems, ...inspection.duplicates.map((d) => `${d.key}: ${d.versions} versions`)],
        },
        plaintext_leaks: { value: demo.plaintext_leaks, note: `32-byte plaintext windows (${where})`, problems: demo.plaintext_leaks === null ? ['the demo did not search'] : [] },
        objects_wrong_key: {
          value: inspection.wrongKey.length,
          note: `of ${inspection.objects} objects (${inspection.sealed} sealed): SSE-KMS storage key, envelope-key data key, context = key path`,
          problems: inspection.wrongKey.map((w) => `${w.key}: ${w.problems.join('; ')}`),
        },
      };
    }),
    await part('intelligibility (Griffin-Lim + STOI)', ['stoi_logmel', 'stoi_mfcc', 'stoi_noise'], log, async () => {
      const python = referencePython();
      if ('reason' in python) throw new Error(python.reason);
      const result = await measureIntelligibility(join(root, 'shared', 'reference', 'audio'), python.python);
      type Key = 'stoi_logmel' | 'stoi_mfcc' | 'stoi_noise';
      const per = (k: Key): string => result.clips.map((c) => `${c.name} ${c[k].toFixed(3)}`).join(', ');
      const cited = (k: Key): Figure['cited'] => ({ value: citedIntelligibility[k], within: citedIntelligibility.within, where: 'shared/intelligibility.ts (for the privacy panel and role preview)' });
      return {
        stoi_logmel: { value: result.stoi_logmel, note: `mean STOI of audio rebuilt from the stored log-mel: ${per('stoi_logmel')}`, cited: cited('stoi_logmel') },
        stoi_mfcc: { value: result.stoi_mfcc, note: `from the stored 13 MFCCs: ${per('stoi_mfcc')}`, cited: cited('stoi_mfcc') },
        stoi_noise: { value: result.stoi_noise, note: `white noise at each clip's RMS: ${per('stoi_noise')}`, cited: cited('stoi_noise') },
      };
    }),
  ];

  const waitingLane = async (): Promise<Part[]> => [
    await part('Electronegativity', ['electronegativity_findings'], log, async () => {
      const electron = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
      const found = await runElectronegativity(root, electron.version);
      const by = Object.entries(found.bySeverity).map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
      return { electronegativity_findings: { value: found.total, note: `on the built app (dist/): ${by}`, problems: found.findings.map((f) => `${f.severity} ${f.check} (${f.where})`) } };
    }),
    await part('npm audit (shipped dependencies)', ['shipped_high_advisories'], log, async () => {
      const audit = await auditShipped(root);
      return { shipped_high_advisories: { value: audit.highOrCritical, note: 'high + critical advisories, npm audit --omit=dev', problems: audit.reason ? [audit.reason] : [] } };
    }),
    await part('SBOM and licences', ['shipped_copyleft_licences'], log, async () => {
      const sbom = await writeSbom(root);
      const sbomPath = join(reports, 'sbom.cdx.json');
      await writeFile(sbomPath, `${JSON.stringify(sbom, null, 2)}\n`);
      const licences = licencesOfShipped(componentsOf(sbom), excludedPackages(await readBuilderConfig(root)), await bundledPackages(root));
      const keptOut = licences.keptOut.map((c) => `${c.name} (${c.licences.join(', ')})`).join(', ') || 'none';
      return {
        shipped_copyleft_licences: {
          value: licences.copyleft.length + licences.unknown.length,
          note: `GPL/AGPL/LGPL or unknown, of ${licences.shipped.length} shipped packages (SBOM: ${relative(root, sbomPath)}); kept out by electron-builder.yml: ${keptOut}`,
          problems: [...licences.copyleft.map((c) => `${c.name}@${c.version}: ${c.licences.join(', ')}`), ...licences.unknown.map((c) => `${c.name}@${c.version}: no licence declared`)],
        },
      };
    }),
  ];

  const parts = (await Promise.all([cpuLane(), waitingLane()])).flat();
  const figures = Object.assign({}, fromRun, ...parts) as Figures;
  return figures;
}
