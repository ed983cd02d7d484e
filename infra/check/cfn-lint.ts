// cfn-lint (Python, on PATH) over the synthesized template. A run that crashes (no JSON on
// stdout, a signal, or exit bit 1) is reported as crashed, never as "no findings".
import { spawnSync } from 'node:child_process';
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
  /** Why the run cannot be trusted; set when cfn-lint crashed. */
  crashed?: string;
  errors: CfnLintFinding[];
  warnings: CfnLintFinding[];
  informational: CfnLintFinding[];
}

/** The command to run; tests point it at a stand-in to prove a crash is caught. */
export interface CfnLintOptions {
  command?: string;
}

export function cfnLintAvailable(opts: CfnLintOptions = {}): boolean {
  return spawnSync(opts.command ?? 'cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
}

// cfn-lint's exit status is a bit mask of the levels it found: 2 error, 4 warning, 8 informational.
const LEVEL_BITS = 2 | 4 | 8;

export function runCfnLint(templateJson: unknown, opts: CfnLintOptions = {}): CfnLintReport {
  const command = opts.command ?? 'cfn-lint';
  const none = { errors: [], warnings: [], informational: [] };
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return { available: false, ...none };
  const version = probe.stdout.trim();
  const file = join(mkdtempSync(join(tmpdir(), 'voicevault-cfnlint-')), 'VoiceVault.template.json');
  writeFileSync(file, JSON.stringify(templateJson, null, 1));
  const run = spawnSync(command, ['--format', 'json', '--', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const crash = (why: string): CfnLintReport => ({ available: true, version, crashed: `${why}${run.stderr ? `: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`, ...none });
  if (run.error) return crash(`could not run (${run.error.message})`);
  if (run.status === null) return crash(`killed by ${run.signal ?? 'a signal'}`);
  if ((run.status & ~LEVEL_BITS) !== 0) return crash(`exit status ${run.status}`);
  let raw: unknown;
  try {
    raw = JSON.parse(run.stdout);
  } catch {
    return crash('no JSON on stdout');
  }
  if (!Array.isArray(raw)) return crash('stdout is not a list of findings');
  const findings = (raw as { Rule: { Id: string }; Level: string; Message: string; Location?: { Path?: unknown[] } }[]).map((f) => ({
    rule: f.Rule.Id,
    level: f.Level,
    message: f.Message,
    path: (f.Location?.Path ?? []).join('/'),
  }));
  if (findings.length === 0 && run.status !== 0) return crash(`exit status ${run.status} without findings`);
  return {
    available: true,
    version,
    errors: findings.filter((f) => f.level === 'Error'),
    warnings: findings.filter((f) => f.level === 'Warning'),
    informational: findings.filter((f) => f.level === 'Informational'),
  };
}

/** What infra:check counts: a missing or crashed cfn-lint is at least one error. */
export function cfnLintErrorCount(report: CfnLintReport): number {
  return !report.available || report.crashed ? Math.max(1, report.errors.length) : report.errors.length;
}
