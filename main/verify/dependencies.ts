// What ships, and what is known against it:
// - `npm audit --omit=dev --json`: high and critical advisories in production dependencies, or null with
//   the reason when the registry's advisory service does not answer (never 0 for "could not ask");
// - `npm sbom --omit=dev --sbom-format cyclonedx`: the SBOM of the production tree, written as an artifact;
// - licences of what ships: the SBOM's components, less those electron-builder.yml keeps out of the app
//   (`!node_modules/<name>/**`) unless a shipped bundle contains their code; GPL, AGPL and LGPL count.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { parse as parseYaml } from 'yaml';

const run = promisify(execFile);

export interface AuditResult {
  highOrCritical: number | null;
  reason?: string;
}

/** Reads `npm audit --json` output: counts from metadata.vulnerabilities, or the error it reported. */
export function parseAudit(stdout: string): AuditResult {
  let json: { error?: { summary?: string; detail?: string }; message?: string; statusCode?: number; metadata?: { vulnerabilities?: Record<string, number> } };
  try {
    json = JSON.parse(stdout) as typeof json;
  } catch {
    return { highOrCritical: null, reason: `npm audit printed no JSON (${stdout.trim().slice(0, 120) || 'nothing'})` };
  }
  const counts = json.metadata?.vulnerabilities;
  if (counts && typeof counts.high === 'number' && typeof counts.critical === 'number') return { highOrCritical: counts.high + counts.critical };
  const why = json.message ?? json.error?.summary ?? json.error?.detail ?? 'no vulnerability counts in its answer';
  return { highOrCritical: null, reason: `the registry's advisory service did not answer: ${why}` };
}

export async function auditShipped(root: string): Promise<AuditResult> {
  try {
    const { stdout } = await run('npm', ['audit', '--omit=dev', '--json'], { cwd: root, maxBuffer: 64 * 2 ** 20 });
    return parseAudit(stdout);
  } catch (error) {
    // npm audit exits non-zero both when it finds advisories and when it cannot ask; the JSON says which.
    return parseAudit((error as { stdout?: string }).stdout ?? '');
  }
}

export interface SbomComponent {
  name: string;
  version: string;
  licences: string[];
}

interface CycloneDx {
  bomFormat?: string;
  components?: { name: string; group?: string; version: string; licenses?: { license?: { id?: string; name?: string }; expression?: string }[] }[];
}

export function componentsOf(sbom: unknown): SbomComponent[] {
  const bom = sbom as CycloneDx;
  if (bom?.bomFormat !== 'CycloneDX' || !Array.isArray(bom.components)) throw new Error('not a CycloneDX SBOM');
  return bom.components.map((c) => ({
    name: c.group ? `${c.group}/${c.name}` : c.name,
    version: c.version,
    licences: (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name ?? '').filter((l) => l !== ''),
  }));
}

export async function writeSbom(root: string): Promise<unknown> {
  const { stdout } = await run('npm', ['sbom', '--omit=dev', '--sbom-format', 'cyclonedx'], { cwd: root, maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(stdout);
}

const copyleftId = /^(A?GPL|LGPL)-|^(A?GPL|LGPL)$/i;

/** True when a licence expression leaves no way out of GPL, AGPL or LGPL ("MIT OR GPL-3.0" does). */
export function isCopyleft(expression: string): boolean {
  const alternatives = expression.replace(/[()]/g, ' ').split(/\s+OR\s+/i);
  return alternatives.every((alternative) => alternative.split(/\s+AND\s+/i).some((id) => copyleftId.test(id.trim().replace(/\+$/, ''))));
}

/** Package names electron-builder.yml keeps out of node_modules in the app: `!node_modules/{a,b}/**`, `!node_modules/c/**`. */
export function excludedPackages(builderYaml: string): string[] {
  const config = parseYaml(builderYaml) as { files?: unknown[] };
  const out: string[] = [];
  for (const entry of config.files ?? []) {
    if (typeof entry !== 'string') continue;
    const match = /^!node_modules\/(.+)\/\*\*$/.exec(entry);
    if (!match) continue;
    const braces = /^\{(.+)\}$/.exec(match[1]!);
    out.push(...(braces ? braces[1]!.split(',') : [match[1]!]).map((s) => s.trim()));
  }
  return out;
}

/** The package a path under node_modules belongs to: node_modules/@a/b/x.js → @a/b. */
export function packageOfPath(path: string): string | undefined {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return parts[at + 1]!.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

/** Vite's `./file.ts?worker&url` imports: the file is bundled on its own and its URL imported; here it joins the graph. */
const viteUrlImports: Plugin = {
  name: 'vite-url-imports',
  setup(probe) {
    probe.onResolve({ filter: /\?/ }, (args) => ({ path: join(args.resolveDir, args.path.split('?')[0]!), namespace: 'vite-url' }));
    probe.onLoad({ filter: /.*/, namespace: 'vite-url' }, (args) => ({ contents: `import ${JSON.stringify(args.path)};\nexport default '';`, loader: 'js', resolveDir: dirname(args.path) }));
  },
};

/**
 * Packages whose code is inside the shipped bundles (main, preload, renderer), found by bundling their entry
 * points again in memory as the build does: the main bundle keeps packages external, so only what it inlines
 * counts; the preload and the renderer inline everything they import.
 */
export async function bundledPackages(root: string): Promise<Set<string>> {
  const entries: { entry: string; external: 'packages' | string[] }[] = [
    { entry: 'main/electron/main.ts', external: 'packages' },
    { entry: 'preload/index.ts', external: ['electron'] },
    { entry: 'renderer/src/main.tsx', external: [] },
  ];
  const found = new Set<string>();
  for (const { entry, external } of entries) {
    const result = await build({
      entryPoints: [join(root, entry)],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      platform: entry.startsWith('renderer') ? 'browser' : 'node',
      format: entry.startsWith('renderer') ? 'esm' : 'cjs',
      outdir: join(root, '.voicevault', 'verify-bundle-probe'),
      loader: { '.svg': 'file', '.woff2': 'file', '.png': 'file' },
      plugins: [viteUrlImports],
      ...(external === 'packages' ? { packages: 'external' as const } : { external }),
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      const name = packageOfPath(input);
      if (name) found.add(name);
    }
  }
  return found;
}

export interface LicenceReport {
  shipped: SbomComponent[];
  /** Kept out by electron-builder.yml and in no bundle. */
  keptOut: SbomComponent[];
  copyleft: SbomComponent[];
  unknown: SbomComponent[];
}

export function licencesOfShipped(components: readonly SbomComponent[], excluded: readonly string[], bundled: ReadonlySet<string>): LicenceReport {
  const keptOut = components.filter((c) => excluded.includes(c.name) && !bundled.has(c.name));
  const shipped = components.filter((c) => !keptOut.includes(c));
  return {
    shipped,
    keptOut,
    copyleft: shipped.filter((c) => c.licences.some(isCopyleft)),
    unknown: shipped.filter((c) => c.licences.length === 0),
  };
}

export async function readBuilderConfig(root: string): Promise<string> {
  return readFile(join(root, 'electron-builder.yml'), 'utf8');
}
