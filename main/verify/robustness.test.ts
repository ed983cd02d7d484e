import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badInputs, exactlyOnceProblems, faultsFromRun, killsPrinted, runsInTitle, type FaultTest } from './robustness';
import { parseVitestReport, type ConsoleEntry, type TestRecord, type TestRun } from './test-reports';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const fixtureRun = (): TestRun => ({ tests: parseVitestReport(fixture('vitest-report.json'), '/repo', fixture('vitest-console.json') as ConsoleEntry[]), missing: [] });
const record = (file: string, titlePath: string[], status: TestRecord['status'], console: string[] = []): TestRecord => ({ runner: 'vitest', file, titlePath, status, console });

describe('bad inputs from the run', () => {
  it('reads run counts from fuzz titles, with thousands separators', () => {
    expect(runsInTitle('survives 6,000 generated RIFF/WAVE structures')).toBe(6000);
    expect(runsInTitle('FLAC: 300 mutated files decode or fail typed')).toBe(300);
    expect(runsInTitle('survives arbitrary bytes')).toBeUndefined();
  });

  it('counts each corpus file and each fuzz case, and each failed one as a crash', () => {
    const { tried, crashes } = badInputs(fixtureRun());
    // 3 corpus files ("<name> → <code>"; the corpus-size test is not a file) + 6,000 + 300 fuzz cases.
    expect(tried).toEqual({ value: 6303, problems: [] });
    expect(crashes).toEqual({ value: 1, problems: ['crashed: main/audio/hostile.test.ts › hostile and malformed inputs › zip-bomb.flac → CorruptAudio'] });
  });

  it('is unknown, not 0, when the corpus or the fuzz tests are not in the run, or when one was skipped', () => {
    const noFuzz = { tests: fixtureRun().tests.filter((t) => t.file !== 'main/audio/fuzz.test.ts'), missing: [] };
    expect(badInputs(noFuzz).tried).toEqual({ value: null, problems: ['no fuzz tests (main/audio/fuzz.test.ts) in the run'] });
    expect(badInputs(noFuzz).crashes.value).toBeNull();
    expect(badInputs({ tests: [], missing: [] }).tried.problems).toHaveLength(2);
    const skipped = fixtureRun();
    skipped.tests.find((t) => t.file === 'main/audio/fuzz.test.ts')!.status = 'skipped';
    expect(badInputs(skipped).tried).toMatchObject({ value: null, problems: [expect.stringMatching(/^1 bad-input tests skipped/)] });
  });
});

describe('faults from the run', () => {
  const catalogue: FaultTest[] = [
    { kind: 'drops', name: 'main/upload/faults.test.ts › uploads › survive drops', count: () => 1 },
    { kind: 'SIGKILL', name: 'main/pipeline/killed-batch.test.ts › killed › exactly once', count: killsPrinted },
  ];

  it('reads the SIGKILLs a kill test printed', () => {
    expect(killsPrinted(record('f', ['t'], 'passed', ['killed-batch: seed 7, SIGKILLs at 120, 480, 910 ms, then completed']))).toBe(3);
    expect(killsPrinted(record('f', ['t'], 'passed', ['kill test: 31 samples acknowledged; 2 of 8 kills left a temporary write behind']))).toBe(8);
    expect(killsPrinted(record('f', ['t'], 'passed', ['nothing about kills']))).toBeUndefined();
  });

  it('counts one fault per scenario and each SIGKILL, survived when the test passed', () => {
    const run: TestRun = {
      missing: [],
      tests: [
        record('main/upload/faults.test.ts', ['uploads', 'survive drops'], 'failed'),
        record('main/pipeline/killed-batch.test.ts', ['killed', 'exactly once'], 'passed', ['killed-batch: seed 7, SIGKILLs at 120, 480, 910, 1300, 2000 ms, then completed']),
      ],
    };
    expect(faultsFromRun(run, catalogue)).toMatchObject({ tried: { value: 6 }, survived: { value: 5 }, kinds: ['drops', 'SIGKILL'] });
  });

  it('is unknown when a fault test is missing or skipped, or a passing kill test printed no count', () => {
    const run: TestRun = { missing: [], tests: [record('main/pipeline/killed-batch.test.ts', ['killed', 'exactly once'], 'passed')] };
    const { tried, survived } = faultsFromRun(run, catalogue);
    expect(tried.value).toBeNull();
    expect(survived.value).toBeNull();
    expect(tried.problems).toEqual([
      'drops: test not in the run (main/upload/faults.test.ts › uploads › survive drops)',
      'SIGKILL: the test passed but did not print how many faults it injected (main/pipeline/killed-batch.test.ts › killed › exactly once)',
    ]);
  });

  it('names the exactly-once tests that did not pass', () => {
    const names = ['main/pipeline/killed-batch.test.ts › a batch ingest killed at random points › ends with every sample in the bucket exactly once, one version each, hashes equal to the receipts', 'x.test.ts › gone'];
    expect(exactlyOnceProblems(fixtureRun(), names)).toEqual(['exactly-once test not in the run: x.test.ts › gone']);
  });
});
