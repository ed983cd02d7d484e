// The test run as verify reads it: Vitest's and Playwright's JSON reports (written by the reporters in
// vitest.config.ts and e2e/playwright.config.ts) and the console lines the evidence reporter kept, as
// one list of tests named `file › describe › … › title`. Verify never re-runs a suite.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface TestRecord {
  runner: 'vitest' | 'playwright';
  /** Repository-relative path with forward slashes, e.g. main/pipeline/journey.test.ts. */
  file: string;
  /** Describe blocks, outermost first, then the test's own title. */
  titlePath: string[];
  status: TestStatus;
  /** What the test printed (Vitest: through the evidence reporter; Playwright: its results' stdout). */
  console: string[];
}

export interface TestRun {
  tests: TestRecord[];
  /** Reports that could not be read, each with its reason. */
  missing: string[];
}

/** Where the reporters of vitest.config.ts and e2e/playwright.config.ts write: VOICEVAULT_REPORTS, else this. */
export const defaultReportsDir = '.voicevault/reports';

export function reportsDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(root, env.VOICEVAULT_REPORTS ?? defaultReportsDir);
}

export const reportFiles = { vitest: 'vitest.json', vitestConsole: 'vitest-console.json', playwright: 'playwright.json' } as const;

/** The name a threat model or a catalogue uses for a test. */
export function testName(test: Pick<TestRecord, 'file' | 'titlePath'>): string {
  return [test.file, ...test.titlePath].join(' › ');
}

const slashes = (path: string): string => path.split('\\').join('/');
const relativeTo = (root: string, file: string): string => slashes(isAbsolute(file) ? relative(root, file) : file);

interface VitestJson {
  testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

export interface ConsoleEntry {
  file: string;
  titlePath: string[];
  lines: string[];
}

function vitestStatus(status: string): TestStatus {
  if (status === 'passed') return 'passed';
  if (status === 'failed') return 'failed';
  return 'skipped'; // skipped, pending, todo
}

export function parseVitestReport(json: unknown, root: string, consoleEntries: readonly ConsoleEntry[] = []): TestRecord[] {
  const report = json as VitestJson;
  if (!report || !Array.isArray(report.testResults)) throw new Error('not a Vitest JSON report (no testResults)');
  const printed = new Map(consoleEntries.map((e) => [testName({ file: relativeTo(root, e.file), titlePath: e.titlePath }), e.lines]));
  return report.testResults.flatMap((module) =>
    module.assertionResults.map((a) => {
      const record = { runner: 'vitest' as const, file: relativeTo(root, module.name), titlePath: [...a.ancestorTitles, a.title], status: vitestStatus(a.status) };
      return { ...record, console: printed.get(testName(record)) ?? [] };
    }),
  );
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; tests: { status: string; results?: { status: string; stdout?: { text?: string }[] }[] }[] }[];
  suites?: PlaywrightSuite[];
}

function playwrightStatus(tests: { status: string }[]): TestStatus {
  if (tests.length === 0 || tests.every((t) => t.status === 'skipped')) return 'skipped';
  // 'flaky' passed on a retry; this project runs without retries, so only 'expected' counts as passed.
  return tests.every((t) => t.status === 'expected' || t.status === 'skipped') ? 'passed' : 'failed';
}

/** `testDir` is the Playwright config's testDir relative to the root (e2e): file suites are named relative to it. */
export function parsePlaywrightReport(json: unknown, testDir = 'e2e'): TestRecord[] {
  const report = json as { suites?: PlaywrightSuite[] };
  if (!report || !Array.isArray(report.suites)) throw new Error('not a Playwright JSON report (no suites)');
  const out: TestRecord[] = [];
  const walk = (suite: PlaywrightSuite, file: string, path: string[]): void => {
    for (const spec of suite.specs ?? []) {
      const printed = spec.tests.flatMap((t) => (t.results ?? []).flatMap((r) => (r.stdout ?? []).map((o) => o.text ?? '')));
      const lines = printed.join('').split('\n').filter((l) => l !== '');
      out.push({ runner: 'playwright', file, titlePath: [...path, spec.title], status: playwrightStatus(spec.tests), console: lines });
    }
    for (const child of suite.suites ?? []) walk(child, file, [...path, child.title]);
  };
  for (const fileSuite of report.suites) walk(fileSuite, slashes(join(testDir, fileSuite.file ?? fileSuite.title)), []);
  return out;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Reads every report in `dir` (tests named relative to `root`); a missing or unreadable one is named in `missing`, never taken as empty. */
export function readTestRun(root: string, dir: string = reportsDir(root)): TestRun {
  const tests: TestRecord[] = [];
  const missing: string[] = [];
  const shown = (file: string): string => relativeTo(root, join(dir, file));
  const vitestPath = join(dir, reportFiles.vitest);
  if (!existsSync(vitestPath)) missing.push(`${shown(reportFiles.vitest)} does not exist: run the unit tests first (npm run test:unit)`);
  else {
    try {
      const consolePath = join(dir, reportFiles.vitestConsole);
      const consoleEntries = existsSync(consolePath) ? (readJson(consolePath) as ConsoleEntry[]) : [];
      if (!existsSync(consolePath)) missing.push(`${shown(reportFiles.vitestConsole)} does not exist: the evidence reporter did not run`);
      tests.push(...parseVitestReport(readJson(vitestPath), root, consoleEntries));
    } catch (error) {
      missing.push(`${shown(reportFiles.vitest)} could not be read: ${(error as Error).message}`);
    }
  }
  const playwrightPath = join(dir, reportFiles.playwright);
  if (!existsSync(playwrightPath)) missing.push(`${shown(reportFiles.playwright)} does not exist: run the browser tests first (npm run test:e2e)`);
  else {
    try {
      tests.push(...parsePlaywrightReport(readJson(playwrightPath)));
    } catch (error) {
      missing.push(`${shown(reportFiles.playwright)} could not be read: ${(error as Error).message}`);
    }
  }
  return { tests, missing };
}

/** Finds a test by its full name (`file › describe › title`); undefined when the run has no such test. */
export function findTest(run: TestRun, name: string): TestRecord | undefined {
  return run.tests.find((t) => testName(t) === name);
}
