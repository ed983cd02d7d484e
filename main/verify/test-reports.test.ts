import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTest, parsePlaywrightReport, parseVitestReport, readTestRun, testName, type ConsoleEntry } from './test-reports';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

describe('reading the test run', () => {
  it('names Vitest tests file › describe › title, relative to the root, with what they printed', () => {
    const tests = parseVitestReport(fixture('vitest-report.json'), '/repo', fixture('vitest-console.json') as ConsoleEntry[]);
    expect(tests).toHaveLength(8);
    const killed = tests.find((t) => t.file === 'main/pipeline/killed-batch.test.ts')!;
    expect(testName(killed)).toBe(
      'main/pipeline/killed-batch.test.ts › a batch ingest killed at random points › ends with every sample in the bucket exactly once, one version each, hashes equal to the receipts',
    );
    expect(killed.console).toEqual(['killed-batch: seed 1234, SIGKILLs at 310, 920, 1480, 2210, 2950 ms, then completed']);
    expect(tests.filter((t) => t.status === 'failed').map((t) => t.titlePath.at(-1))).toEqual(['zip-bomb.flac → CorruptAudio']);
    expect(tests.find((t) => t.file === 'main/outbox/disk-full.test.ts')).toMatchObject({ status: 'skipped', titlePath: [expect.stringMatching(/^says the disk is full/)] });
  });

  it('names Playwright tests e2e/<file> › describe › title; expected passes, unexpected fails, skipped stays skipped', () => {
    const tests = parsePlaywrightReport(fixture('playwright-report.json'));
    expect(tests.map((t) => [testName(t), t.status])).toEqual([
      ['e2e/page-security.spec.ts › the page under the strict CSP › has no require, process, Buffer or Electron in the page; only the frozen contract API', 'passed'],
      ['e2e/page-security.spec.ts › the page under the strict CSP › blocks inline script, eval, inline event handlers and connections to other origins', 'failed'],
      ['e2e/electron.spec.ts › the packaged-style Electron app › opens one sandboxed window on app:// and signs ada in', 'skipped'],
    ]);
    expect(tests[0]!.console).toEqual(['page: 0 globals beyond the contract']);
  });

  it('refuses files that are not such reports', () => {
    expect(() => parseVitestReport({ suites: [] }, '/repo')).toThrow(/not a Vitest JSON report/);
    expect(() => parsePlaywrightReport({ testResults: [] })).toThrow(/not a Playwright JSON report/);
  });

  it('says which reports are missing instead of reading them as empty', () => {
    const root = mkdtempSync(join(tmpdir(), 'verify-run-'));
    const empty = readTestRun(root, join(root, '.voicevault', 'reports'));
    expect(empty.tests).toEqual([]);
    expect(empty.missing).toEqual([
      expect.stringMatching(/^\.voicevault\/reports\/vitest\.json does not exist: run the unit tests first/),
      expect.stringMatching(/^\.voicevault\/reports\/playwright\.json does not exist: run the browser tests first/),
    ]);

    mkdirSync(join(root, '.voicevault', 'reports'), { recursive: true });
    writeFileSync(join(root, '.voicevault', 'reports', 'vitest.json'), '{"testResults": [');
    writeFileSync(join(root, '.voicevault', 'reports', 'playwright.json'), JSON.stringify(fixture('playwright-report.json')));
    const partial = readTestRun(root, join(root, '.voicevault', 'reports'));
    expect(partial.tests).toHaveLength(3);
    expect(partial.missing).toEqual([expect.stringMatching(/vitest-console\.json does not exist/), expect.stringMatching(/vitest\.json could not be read: .*JSON/)]);
    expect(findTest(partial, 'e2e/electron.spec.ts › the packaged-style Electron app › opens one sandboxed window on app:// and signs ada in')?.status).toBe('skipped');
    expect(findTest(partial, 'e2e/electron.spec.ts › opens one sandboxed window on app:// and signs ada in')).toBeUndefined();
  });
});
