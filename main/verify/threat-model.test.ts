import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestRecord, TestRun } from './test-reports';
import { parseThreatModel, threatCoverage, threatModelPath } from './threat-model';

const repoRoot = join(import.meta.dirname, '..', '..');
const record = (name: string, status: TestRecord['status']): TestRecord => {
  const [file, ...titlePath] = name.split(' › ');
  return { runner: 'vitest', file: file!, titlePath, status, console: [] };
};

describe('docs/THREAT_MODEL.md', () => {
  const threats = parseThreatModel(readFileSync(join(repoRoot, threatModelPath), 'utf8'));

  it('covers every threat the project names, each with at least one test', () => {
    expect(threats.map((t) => t.title)).toEqual([
      'Stolen laptop',
      'Stolen contractor credential',
      'Compromised renderer',
      'Malicious audio file',
      'Planted deployment file',
      'Insider admin',
      'Compromised pipeline reader',
      'Bulk exfiltration',
      'Disabled key',
      'Log tampering',
      'Replayed or overwritten upload',
    ]);
    for (const threat of threats) {
      expect(threat.tests.length, threat.title).toBeGreaterThan(0);
      for (const name of threat.tests) expect(name, threat.title).toMatch(/^(main|infra|preload|shared|renderer|e2e)\/[\w/.-]+\.(test|spec)\.ts( › [^›]+)+$/);
    }
  });
});

describe('threat coverage', () => {
  const markdown = [
    '# Threats',
    '### 1. Stolen laptop',
    '**Control.** Sealed before it is stored.',
    '- `not a test, in the control text`',
    '**Tests.**',
    '- `main/a.test.ts › sealing › leaves no plaintext`',
    '- `e2e/b.spec.ts › keeps the disk clean`',
    '### 2. Log tampering',
    '**Tests.**',
    '- `main/audit/log.test.ts › verifying the chain › finds an edited line`',
    '### 3. Nothing yet',
    '**Control.** To do.',
    '## Out of scope',
    '- `main/ignored.test.ts › not a threat`',
  ].join('\n');

  it('reads each threat with the tests listed under its Tests heading only', () => {
    expect(parseThreatModel(markdown)).toEqual([
      { title: 'Stolen laptop', tests: ['main/a.test.ts › sealing › leaves no plaintext', 'e2e/b.spec.ts › keeps the disk clean'] },
      { title: 'Log tampering', tests: ['main/audit/log.test.ts › verifying the chain › finds an edited line'] },
      { title: 'Nothing yet', tests: [] },
    ]);
  });

  it('counts a threat only when every test it names is in the run and passed', () => {
    const run: TestRun = {
      missing: [],
      tests: [record('main/a.test.ts › sealing › leaves no plaintext', 'passed'), record('e2e/b.spec.ts › keeps the disk clean', 'passed'), record('main/audit/log.test.ts › verifying the chain › finds an edited line', 'skipped')],
    };
    expect(threatCoverage(parseThreatModel(markdown), run)).toEqual({
      threats: 3,
      covered: 1,
      problems: ['threat "Log tampering": skipped: main/audit/log.test.ts › verifying the chain › finds an edited line', 'threat "Nothing yet" names no test'],
    });
    const renamed: TestRun = { missing: [], tests: [record('main/a.test.ts › sealing › leaves no plaintext', 'passed')] };
    expect(threatCoverage(parseThreatModel(markdown), renamed).problems[0]).toBe('threat "Stolen laptop": not in the run: e2e/b.spec.ts › keeps the disk clean');
  });
});
