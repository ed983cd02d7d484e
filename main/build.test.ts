// The build and test configuration as CI relies on it: a stray `.only` fails CI runs (Vitest and Playwright)
// instead of silently dropping every other test, and the bundles' stale check notices a changed input.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ensureNodeBundles, nodeBundleStale } from './build';

const run = promisify(execFile);
/** Imported by path: e2e/ is its own TypeScript project. */
const playwrightConfig = '../e2e/playwright.config.ts';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'voicevault-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs this repository's Vitest configuration over one probe file in a scratch root, with CI set or not. */
async function vitestWithOnly(ci: boolean): Promise<{ code: number; output: string }> {
  const root = join(dir, ci ? 'ci' : 'local');
  mkdirSync(join(root, 'main'), { recursive: true });
  writeFileSync(join(root, 'main', 'probe.test.ts'), "import { expect, it } from 'vitest';\nit.only('focused', () => expect(1).toBe(1));\nit('other', () => expect(1).toBe(1));\n");
  const env = { ...process.env, CI: ci ? 'true' : '' };
  const args = ['vitest', 'run', '--config', join(repoRoot, 'vitest.config.ts'), '--root', root, '--reporter=default'];
  try {
    const { stdout, stderr } = await run('npx', args, { cwd: repoRoot, env });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('a stray .only', () => {
  it('fails a Vitest run when CI is set, and only focuses the run locally', async () => {
    const ci = await vitestWithOnly(true);
    expect(ci.code).not.toBe(0);
    const local = await vitestWithOnly(false);
    expect(local.code).toBe(0);
    expect(local.output).toMatch(/1 passed/);
  });

  it('is forbidden by the Playwright configuration when CI is set', async () => {
    const previous = process.env.CI;
    try {
      // The configuration reads CI when it is evaluated: evaluate it afresh under each setting.
      process.env.CI = 'true';
      vi.resetModules();
      const ci = (await import(/* @vite-ignore */ playwrightConfig)) as { default: { forbidOnly?: boolean } };
      expect(ci.default.forbidOnly).toBe(true);
      process.env.CI = '';
      vi.resetModules();
      const local = (await import(/* @vite-ignore */ playwrightConfig)) as { default: { forbidOnly?: boolean } };
      expect(local.default.forbidOnly).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.CI;
      else process.env.CI = previous;
    }
  });
});

describe('the bundles’ stale check', () => {
  it('finds the audio bundle current after a build and stale once one of its sources is newer', async () => {
    await ensureNodeBundles(['audio']);
    expect(await nodeBundleStale('audio')).toBe(false);
    // Touch one of the bundle's inputs into the future, then back.
    const source = join(repoRoot, 'main', 'audio', 'limits.ts');
    const future = new Date(Date.now() + 60_000);
    const { mtime } = statSync(source);
    try {
      utimesSync(source, future, future);
      expect(await nodeBundleStale('audio')).toBe(true);
    } finally {
      utimesSync(source, mtime, mtime);
    }
  });
});
