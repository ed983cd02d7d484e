// The figures `npm run verify` reports, their rules, and how they print. Pure: the parts measure, this
// decides. A figure is a number or null (could not be measured, with the reason); never 0 for "unknown".
import Table from 'cli-table3';

export const figureKeys = [
  'checklist_passed',
  'checklist_total',
  'electronegativity_findings',
  'eslint_sdl_findings',
  'nag_errors',
  'cfn_lint_errors',
  'policy_cases',
  'policy_structural',
  'policy_mutations',
  'policy_failures',
  'bad_inputs_tried',
  'bad_input_crashes',
  'faults_tried',
  'faults_survived',
  'samples_lost',
  'duplicates',
  'plaintext_leaks',
  'objects_wrong_key',
  'shipped_high_advisories',
  'shipped_copyleft_licences',
  'threats',
  'threats_with_tests',
  'stoi_logmel',
  'stoi_mfcc',
  'stoi_noise',
] as const;

export type FigureKey = (typeof figureKeys)[number];

/**
 * zero: must be 0 (unknown fails). equals: must equal another figure (unknown fails). measured: any number,
 * but unknown fails. reported: any number, unknown fails. zeroWhereAsked: must be 0 where it could be
 * measured; unknown is reported with its reason and does not fail (the npm advisory service cannot be
 * reached from every machine).
 */
export type Rule = { kind: 'zero' } | { kind: 'equals'; other: FigureKey } | { kind: 'measured' } | { kind: 'zeroWhereAsked' } | { kind: 'positive' };

export const rules: Record<FigureKey, Rule> = {
  checklist_passed: { kind: 'equals', other: 'checklist_total' },
  checklist_total: { kind: 'positive' },
  electronegativity_findings: { kind: 'measured' },
  eslint_sdl_findings: { kind: 'zero' },
  nag_errors: { kind: 'zero' },
  cfn_lint_errors: { kind: 'zero' },
  policy_cases: { kind: 'positive' },
  policy_structural: { kind: 'positive' },
  policy_mutations: { kind: 'positive' },
  policy_failures: { kind: 'zero' },
  bad_inputs_tried: { kind: 'positive' },
  bad_input_crashes: { kind: 'zero' },
  faults_tried: { kind: 'positive' },
  faults_survived: { kind: 'equals', other: 'faults_tried' },
  samples_lost: { kind: 'zero' },
  duplicates: { kind: 'zero' },
  plaintext_leaks: { kind: 'zero' },
  objects_wrong_key: { kind: 'zero' },
  shipped_high_advisories: { kind: 'zeroWhereAsked' },
  shipped_copyleft_licences: { kind: 'zero' },
  threats: { kind: 'positive' },
  threats_with_tests: { kind: 'equals', other: 'threats' },
  stoi_logmel: { kind: 'measured' },
  stoi_mfcc: { kind: 'measured' },
  stoi_noise: { kind: 'measured' },
};

export interface Figure {
  value: number | null;
  /** What was measured, in a few words (shown in the table). */
  note?: string;
  /** Why the value is null, or what stands behind a failing value. */
  problems?: string[];
  /** A measured figure the app and docs cite: it fails when the measurement moved further than `within`. */
  cited?: { value: number; within: number; where: string };
}

export type Figures = Record<FigureKey, Figure>;

export interface Verdict {
  key: FigureKey;
  ok: boolean;
  /** Why it fails, or why an unknown is accepted. */
  why?: string;
}

export function judge(figures: Figures): Verdict[] {
  return figureKeys.map((key) => {
    const { value, problems = [], cited } = figures[key];
    const rule = rules[key];
    const reason = problems[0] ?? 'not measured';
    if (value === null) {
      return rule.kind === 'zeroWhereAsked' ? { key, ok: true, why: `not checked: ${reason}` } : { key, ok: false, why: `unknown: ${reason}` };
    }
    switch (rule.kind) {
      case 'zero':
      case 'zeroWhereAsked':
        return value === 0 ? { key, ok: true } : { key, ok: false, why: problems[0] ?? `${value}, must be 0` };
      case 'equals': {
        const other = figures[rule.other].value;
        return other !== null && value === other ? { key, ok: true } : { key, ok: false, why: problems[0] ?? `${value} of ${other ?? 'unknown'}` };
      }
      case 'positive':
        return value > 0 ? { key, ok: true } : { key, ok: false, why: `${value}: nothing was counted` };
      case 'measured':
        return cited === undefined || Math.abs(value - cited.value) <= cited.within
          ? { key, ok: true }
          : { key, ok: false, why: `measured ${value.toFixed(3)}, but ${cited.where} cites ${cited.value}: update it and the docs to what was measured` };
    }
  });
}

const mustText = (key: FigureKey): string => {
  const rule = rules[key];
  switch (rule.kind) {
    case 'zero':
      return '0';
    case 'zeroWhereAsked':
      return '0 where asked';
    case 'equals':
      return `= ${rule.other}`;
    case 'positive':
      return '> 0';
    case 'measured':
      return '';
  }
};

const show = (value: number | null): string => (value === null ? 'null' : Number.isInteger(value) ? String(value) : value.toFixed(3));

export function renderTable(figures: Figures, verdicts: readonly Verdict[]): string {
  const table = new Table({ head: ['figure', 'value', 'must be', '', 'what / why'], wordWrap: true, colWidths: [28, 8, 18, 6, 80], style: { head: [], border: [] } });
  for (const verdict of verdicts) {
    const figure = figures[verdict.key];
    table.push([verdict.key, show(figure.value), mustText(verdict.key), verdict.ok ? 'ok' : 'FAIL', [figure.note, verdict.why].filter(Boolean).join(' — ')]);
  }
  return table.toString();
}

/** The `--json` line: every figure by its key, then whether verify passed and why not. */
export function toJson(figures: Figures, verdicts: readonly Verdict[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of figureKeys) out[key] = figures[key].value;
  out.passed = verdicts.every((v) => v.ok);
  out.failures = verdicts.filter((v) => !v.ok).map((v) => `${v.key}: ${v.why ?? ''}`);
  return out;
}
