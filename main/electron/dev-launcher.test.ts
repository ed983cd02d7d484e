import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start', () => {
  it('without an Electron binary, says why and how to get one, and exits non-zero before building anything', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'vv-no-electron-'));
    const run = promisify(execFile)(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['main/electron/dev-launcher.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
    });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('No Electron binary on this machine');
    expect(failure?.stderr).toContain('npx install-electron');
    expect(failure?.stdout).not.toContain('vite');
  });
});
