// cfn-lint (Python, on PATH) over the synthesized template.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CfnLintFinding {
  rule: string;
  level: string;
  message: string;
  path: string;
}

export interface CfnLintReport {
  available: boolean;
  version?: string;
  errors: CfnLintFinding[];
  warnings: CfnLintFinding[];
  informational: CfnLintFinding[];
}

export function cfnLintAvailable(): boolean {
  return spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function runCfnLint(templateJson: unknown): CfnLintReport {
  if (!cfnLintAvailable()) return { available: false, errors: [], warnings: [], informational: [] };
  const version = execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
  const file = join(mkdtempSync(join(tmpdir(), 'voicevault-cfnlint-')), 'VoiceVault.template.json');
  writeFileSync(file, JSON.stringify(templateJson, null, 1));
  // Exit status is a bit mask of the levels found; the JSON on stdout is what counts.
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  const raw = JSON.parse(run.stdout || '[]') as { Rule: { Id: string }; Level: string; Message: string; Location?: { Path?: unknown[] } }[];
  const findings = raw.map((f) => ({ rule: f.Rule.Id, level: f.Level, message: f.Message, path: (f.Location?.Path ?? []).join('/') }));
  return {
    available: true,
    version,
    errors: findings.filter((f) => f.level === 'Error'),
    warnings: findings.filter((f) => f.level === 'Warning'),
    informational: findings.filter((f) => f.level === 'Informational'),
  };
}
