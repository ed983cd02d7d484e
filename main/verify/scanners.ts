// Static scanners over the app:
// - Electronegativity (@doyensec/electronegativity) on what Electron runs as it ships: the built main and
//   preload bundles and the built renderer (dist/). Its CLI exits 0 whatever it finds, so its CSV is parsed.
// - ESLint with @microsoft/eslint-plugin-sdl, through the repository's own config: the SDL rules' findings
//   by severity, and how many are suppressed in place (each such comment says why).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { ESLint } from 'eslint';

const run = promisify(execFile);

export interface ScannerFinding {
  check: string;
  severity: string;
  where: string;
  description: string;
}

export interface SeverityCounts {
  total: number;
  bySeverity: Record<string, number>;
  findings: ScannerFinding[];
}

function count(findings: ScannerFinding[]): SeverityCounts {
  const bySeverity: Record<string, number> = {};
  for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  return { total: findings.length, bySeverity, findings };
}

/** Electronegativity's CSV: issue, severity, confidence, filename, location, sample, description, url. */
export function parseElectronegativityCsv(csv: string): SeverityCounts {
  const rows = parseCsv(csv, { columns: true, trim: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
  return count(
    rows.map((row) => ({
      check: row.issue ?? '',
      severity: (row.severity ?? 'UNKNOWN').toUpperCase(),
      where: row.filename === 'N/A' ? 'whole app' : `${row.filename}:${row.location}`,
      description: row.description ?? '',
    })),
  );
}

/** The built files Electron loads; undefined with the missing one when the app has not been built. */
export const shippedAppFiles = ['dist/main/index.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html'];

export async function runElectronegativity(root: string, electronVersion: string): Promise<SeverityCounts> {
  const missing = shippedAppFiles.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) throw new Error(`the app is not built (${missing.join(', ')} missing): run npm run build first`);
  // Only what Electron loads: the CLI and test bundles in dist/ are not part of the app.
  const app = await mkdtemp(join(tmpdir(), 'voicevault-electronegativity-'));
  try {
    // Electronegativity reads .js, .ts, .html and the like but skips .cjs without a word: copied as .js.
    await cp(join(root, 'dist', 'main', 'index.cjs'), join(app, 'main', 'index.js'));
    await cp(join(root, 'dist', 'main', 'preload.cjs'), join(app, 'main', 'preload.js'));
    await cp(join(root, 'dist', 'renderer'), join(app, 'renderer'), { recursive: true });
    const csv = join(app, 'findings.csv');
    const bin = join(root, 'node_modules', '.bin', 'electronegativity');
    await run(bin, ['--input', join(app), '--output', csv, '--relative', '--electron-version', electronVersion], { cwd: app, timeout: 5 * 60_000, maxBuffer: 16 * 2 ** 20 });
    if (!existsSync(csv)) throw new Error('electronegativity wrote no results file');
    return parseElectronegativityCsv(await readFile(csv, 'utf8'));
  } finally {
    await rm(app, { recursive: true, force: true });
  }
}

export interface SdlLint {
  active: SeverityCounts;
  suppressed: number;
  /** Files ESLint could not parse: their SDL findings are unknown. */
  fatal: string[];
}

const sdlRule = (ruleId: string | null): boolean => ruleId?.startsWith('@microsoft/sdl/') ?? false;

export function sdlFindings(results: readonly ESLint.LintResult[], root: string): SdlLint {
  const findings: ScannerFinding[] = [];
  let suppressed = 0;
  const fatal: string[] = [];
  for (const result of results) {
    const file = relative(root, result.filePath);
    for (const m of result.messages) {
      if (m.fatal) fatal.push(`${file}: ${m.message}`);
      else if (sdlRule(m.ruleId)) findings.push({ check: m.ruleId!, severity: m.severity === 2 ? 'error' : 'warning', where: `${file}:${m.line}:${m.column}`, description: m.message });
    }
    suppressed += (result.suppressedMessages ?? []).filter((m) => sdlRule(m.ruleId)).length;
  }
  return { active: count(findings), suppressed, fatal };
}

export async function lintSdl(root: string): Promise<SdlLint> {
  const eslint = new ESLint({ cwd: root });
  return sdlFindings(await eslint.lintFiles(['.']), root);
}
