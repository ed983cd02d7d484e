// The Python reference environment (.venv-ref at the repo root, git-ignored): tests that check our outputs
// against Python's safetensors and the benchmark against librosa create it on demand from pip's index.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const referenceVenv = join(repoRoot, '.venv-ref');
const python = join(referenceVenv, 'bin', 'python');

function canImport(modules: readonly string[]): boolean {
  if (!existsSync(python)) return false;
  return spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns the venv's python once `modules` import there, installing `packages` if needed (pip without
 * retries, so an unreachable public index costs seconds); otherwise `{ reason }` saying why not.
 */
export function ensureReferencePython(modules: readonly string[], packages: readonly string[]): { python: string } | { reason: string } {
  if (canImport(modules)) return { python };
  try {
    if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', referenceVenv], { stdio: 'pipe' });
    execFileSync(python, ['-m', 'pip', 'install', '--retries', '0', '--timeout', '2', ...packages], { stdio: 'pipe', timeout: 15 * 60_000 });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    return { reason: `could not install ${packages.join(', ')} into ${referenceVenv}: ${detail}` };
  }
  return canImport(modules) ? { python } : { reason: `${modules.join(', ')} still cannot be imported from ${referenceVenv}` };
}

/**
 * For tests that check against Python: the venv's python, or outside CI the reason it is missing (the test
 * then skips, saying so). In CI (CI set, as GitHub Actions and .ci/run do) a missing environment is an error:
 * those checks must never skip there.
 */
export function referencePythonForTests(modules: readonly string[], packages: readonly string[]): { python: string } | { skip: string } {
  const found = ensureReferencePython(modules, packages);
  if ('python' in found) return found;
  if (process.env.CI) throw new Error(`the Python reference environment is required in CI: ${found.reason}`);
  console.warn(`skipping the Python checks (not in CI): ${found.reason}`);
  return { skip: found.reason };
}
