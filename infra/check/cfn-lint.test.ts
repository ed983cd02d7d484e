import { describe, expect, it } from 'vitest';
import { synthesize } from '../lib/synth';
import { cfnLintAvailable, runCfnLint } from './cfn-lint';

describe('cfn-lint on the synthesized template', () => {
  it.skipIf(!cfnLintAvailable())('reports zero errors (and, today, zero warnings)', () => {
    const report = runCfnLint(synthesize().json);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });
});
