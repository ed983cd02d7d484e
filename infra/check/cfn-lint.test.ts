import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizedTemplate } from '../lib/template-cache';
import { cfnLintAvailable, cfnLintErrorCount, runCfnLint } from './cfn-lint';

/** A stand-in `cfn-lint` that answers --version and then behaves as the script says. */
function standIn(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'voicevault-fake-cfnlint-')), 'cfn-lint');
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "cfn-lint 0.0.0-test"; exit 0; fi\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
const tiny = { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } };

describe('cfn-lint on the synthesized template', () => {
  it('is on PATH (the check counts a missing cfn-lint as an error)', () => {
    expect(cfnLintAvailable(), 'install cfn-lint (pip install cfn-lint); .ci/run does').toBe(true);
  });

  it('reports zero errors (and, today, zero warnings)', async () => {
    const report = runCfnLint(await synthesizedTemplate());
    expect(report.crashed).toBeUndefined();
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(cfnLintErrorCount(report)).toBe(0);
  }, 240_000);
});

describe('a cfn-lint that crashes is never read as zero findings', () => {
  it('a traceback and exit 1 with nothing on stdout', () => {
    const report = runCfnLint(tiny, { command: standIn('echo "Traceback (most recent call last): boom" >&2; exit 1') });
    expect(report.crashed).toMatch(/exit status 1.*boom/);
    expect(cfnLintErrorCount(report)).toBe(1);
  });

  it('exit 0 but no JSON on stdout', () => {
    const report = runCfnLint(tiny, { command: standIn('echo "not json"; exit 0') });
    expect(report.crashed).toMatch(/no JSON/);
    expect(cfnLintErrorCount(report)).toBe(1);
  });

  it('an error-level exit status with an empty list', () => {
    const report = runCfnLint(tiny, { command: standIn('echo "[]"; exit 2') });
    expect(report.crashed).toMatch(/without findings/);
    expect(cfnLintErrorCount(report)).toBe(1);
  });

  it('a cfn-lint that is not there', () => {
    const report = runCfnLint(tiny, { command: join(tmpdir(), 'no-such-cfn-lint') });
    expect(report.available).toBe(false);
    expect(cfnLintErrorCount(report)).toBe(1);
  });

  it('while real findings are counted as they are', () => {
    const finding = { Rule: { Id: 'E3001' }, Level: 'Error', Message: 'bad', Location: { Path: ['Resources', 'Topic'] } };
    const report = runCfnLint(tiny, { command: standIn(`echo '${JSON.stringify([finding, { ...finding, Level: 'Warning' }])}'; exit 6`) });
    expect(report.crashed).toBeUndefined();
    expect(report.errors).toEqual([{ rule: 'E3001', level: 'Error', message: 'bad', path: 'Resources/Topic' }]);
    expect(report.warnings).toHaveLength(1);
    expect(cfnLintErrorCount(report)).toBe(1);
  });
});
