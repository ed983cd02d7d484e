import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { parseElectronegativityCsv, sdlFindings } from './scanners';

describe('Electronegativity output', () => {
  it('counts findings by severity from its CSV, quoted commas and all', () => {
    // Its real output on the Electron sources, kept as a fixture.
    const found = parseElectronegativityCsv(readFileSync(join(import.meta.dirname, 'fixtures', 'electronegativity.csv'), 'utf8'));
    expect(found.total).toBe(6);
    expect(found.bySeverity).toEqual({ HIGH: 1, MEDIUM: 5 });
    expect(found.findings[0]).toEqual({ check: 'CSP_GLOBAL_CHECK', severity: 'MEDIUM', where: 'whole app', description: 'No CSP has been detected in the target application' });
    expect(found.findings[1]).toMatchObject({ check: 'OPEN_EXTERNAL_JS_CHECK', where: 'electron/main.ts:21:97', description: 'Review the use of openExternal' });
  });

  it('counts nothing from a CSV with only its header', () => {
    expect(parseElectronegativityCsv('issue, severity, confidence, filename, location, sample, description, url\n')).toEqual({ total: 0, bySeverity: {}, findings: [] });
  });
});

describe('ESLint SDL findings', () => {
  const result = (filePath: string, messages: Partial<ESLint.LintResult['messages'][number]>[], suppressed: Partial<ESLint.LintResult['messages'][number]>[] = []) =>
    ({ filePath, messages, suppressedMessages: suppressed }) as unknown as ESLint.LintResult;

  it('counts only @microsoft/sdl rules, by severity, and the suppressed ones apart', () => {
    const lint = sdlFindings(
      [
        result('/repo/main/a.ts', [
          { ruleId: '@microsoft/sdl/no-insecure-url', severity: 2, line: 3, column: 9, message: 'Insecure URL' },
          { ruleId: '@typescript-eslint/no-explicit-any', severity: 2, line: 4, column: 1, message: 'any' },
          { ruleId: '@microsoft/sdl/no-inner-html', severity: 1, line: 8, column: 2, message: 'innerHTML' },
        ]),
        result('/repo/main/b.ts', [], [{ ruleId: '@microsoft/sdl/no-insecure-url', severity: 2 }, { ruleId: 'no-control-regex', severity: 2 }]),
      ],
      '/repo',
    );
    expect(lint.active.total).toBe(2);
    expect(lint.active.bySeverity).toEqual({ error: 1, warning: 1 });
    expect(lint.active.findings[0]).toEqual({ check: '@microsoft/sdl/no-insecure-url', severity: 'error', where: 'main/a.ts:3:9', description: 'Insecure URL' });
    expect(lint.suppressed).toBe(1);
    expect(lint.fatal).toEqual([]);
  });

  it('reports files it could not parse, whose findings are unknown', () => {
    const lint = sdlFindings([result('/repo/main/broken.ts', [{ ruleId: null, fatal: true, severity: 2, message: 'Parsing error: ; expected' }])], '/repo/');
    expect(lint.fatal).toEqual(['main/broken.ts: Parsing error: ; expected']);
  });
});
