import { describe, expect, it } from 'vitest';
import { figureKeys, judge, renderTable, toJson, type Figures } from './figures';

/** Every figure holding: checklist 20/20, no errors, everything tried survived. */
function healthy(): Figures {
  const figures = Object.fromEntries(figureKeys.map((k) => [k, { value: 0 }])) as Figures;
  Object.assign(figures, {
    checklist_passed: { value: 20 },
    checklist_total: { value: 20 },
    electronegativity_findings: { value: 3 },
    policy_cases: { value: 110 },
    policy_structural: { value: 28 },
    policy_mutations: { value: 23 },
    bad_inputs_tried: { value: 11_000 },
    faults_tried: { value: 24 },
    faults_survived: { value: 24 },
    threats: { value: 11 },
    threats_with_tests: { value: 11 },
    stoi_logmel: { value: 0.92 },
    stoi_mfcc: { value: 0.6 },
    stoi_noise: { value: 0.4 },
  });
  return figures;
}

describe('the verdict', () => {
  it('passes when every must-be-zero figure is 0 and every pair matches', () => {
    expect(judge(healthy()).filter((v) => !v.ok)).toEqual([]);
  });

  it('fails a must-be-zero figure that is not zero, with the reason behind it', () => {
    const figures = healthy();
    figures.plaintext_leaks = { value: 2, problems: ['32 bytes of speech_en_16k.wav (int16 PCM) in request 4 s3 PUT'] };
    expect(judge(figures).filter((v) => !v.ok)).toEqual([{ key: 'plaintext_leaks', ok: false, why: '32 bytes of speech_en_16k.wav (int16 PCM) in request 4 s3 PUT' }]);
  });

  it('fails an unknown figure with its reason, except the advisories where the registry cannot be asked', () => {
    const figures = healthy();
    figures.samples_lost = { value: null, problems: ['exactly-once test failed: killed batch'] };
    figures.stoi_mfcc = { value: null, problems: ['no reference venv'] };
    figures.shipped_high_advisories = { value: null, problems: ['the advisory service did not answer: 405'] };
    const verdicts = judge(figures);
    expect(verdicts.filter((v) => !v.ok).map((v) => [v.key, v.why])).toEqual([
      ['samples_lost', 'unknown: exactly-once test failed: killed batch'],
      ['stoi_mfcc', 'unknown: no reference venv'],
    ]);
    expect(verdicts.find((v) => v.key === 'shipped_high_advisories')).toEqual({ key: 'shipped_high_advisories', ok: true, why: 'not checked: the advisory service did not answer: 405' });
    figures.shipped_high_advisories = { value: 1 };
    expect(judge(figures).find((v) => v.key === 'shipped_high_advisories')!.ok).toBe(false);
  });

  it('fails a checklist item without a passing test, a fault not survived and a threat without a passing test', () => {
    const figures = healthy();
    figures.checklist_passed = { value: 19 };
    figures.faults_survived = { value: 23 };
    figures.threats_with_tests = { value: 10, problems: ['threat "Disabled key": failed: …'] };
    expect(judge(figures).filter((v) => !v.ok).map((v) => [v.key, v.why])).toEqual([
      ['checklist_passed', '19 of 20'],
      ['faults_survived', '23 of 24'],
      ['threats_with_tests', 'threat "Disabled key": failed: …'],
    ]);
  });

  it('fails counts that must have counted something', () => {
    const figures = healthy();
    figures.bad_inputs_tried = { value: 0 };
    expect(judge(figures).filter((v) => !v.ok)).toEqual([{ key: 'bad_inputs_tried', ok: false, why: '0: nothing was counted' }]);
  });

  it('fails a measured figure that moved away from what the app and docs cite, and keeps one within the tolerance', () => {
    const figures = healthy();
    const where = 'the privacy panel';
    figures.stoi_mfcc = { value: 0.904, cited: { value: 0.54, within: 0.01, where } };
    figures.stoi_logmel = { value: 0.931, cited: { value: 0.926, within: 0.01, where } };
    expect(judge(figures).filter((v) => !v.ok)).toEqual([{ key: 'stoi_mfcc', ok: false, why: 'measured 0.904, but the privacy panel cites 0.54: update it and the docs to what was measured' }]);
  });
});

describe('the output', () => {
  it('--json: every key of the issue, in order, then passed and failures', () => {
    const figures = healthy();
    figures.nag_errors = { value: null, problems: ['infra:check could not run: cfn-lint missing'] };
    const json = toJson(figures, judge(figures));
    expect(Object.keys(json)).toEqual([...figureKeys, 'passed', 'failures']);
    expect(json).toMatchObject({ nag_errors: null, stoi_logmel: 0.92, passed: false, failures: ['nag_errors: unknown: infra:check could not run: cfn-lint missing'] });
  });

  it('the table shows every figure with its rule and verdict', () => {
    const figures = healthy();
    figures.duplicates = { value: 1, note: 'keys with more than one version', problems: ['features/demo/c/s.speech16k.sealed: 2 versions'] };
    const table = renderTable(figures, judge(figures));
    for (const key of figureKeys) expect(table).toContain(key);
    expect(table).toMatch(/duplicates\s*│\s*1\s*│\s*0\s*│\s*FAIL/);
    expect(table).toMatch(/stoi_logmel\s*│\s*0\.920/);
  });
});
