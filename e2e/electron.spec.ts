// The same journey in the real Electron app, where an Electron binary exists. Here it usually
// does not: the binary downloads on first use and this machine is offline (DESIGN.md).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron } from '@playwright/test';
import { writeDeployment } from '../main/aws/deployment';
import { test, expect } from './fixtures';

/** Looks for the binary the way the electron package does, without its download-on-first-use. */
function electronBinary(): string | undefined {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist'), readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const skipReason = 'SKIPPED: no Electron binary on this machine (it downloads on first use; offline here). The Chromium project covers the renderer.';
if (!binary) console.log(skipReason);

test.describe('the packaged-style Electron app', () => {
  test.skip(!binary, skipReason);

  test('opens one sandboxed window on app:// and signs ada in', async ({ deployment }) => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'vv-electron-')), 'local.json');
    await writeDeployment(statePath, deployment);
    const app = await electron.launch({ executablePath: binary!, args: ['dist/main/index.cjs'], env: { ...process.env, VOICEVAULT_STATE: statePath } });
    try {
      const window = await app.firstWindow();
      expect(window.url()).toBe('app://voicevault/index.html');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      const ada = deployment.demoUsers.find((u) => u.username === 'ada')!;
      await window.getByLabel('User name').fill('ada');
      await window.getByLabel('Password').fill(ada.password);
      await window.keyboard.press('Enter');
      await expect(window.getByText('Signed in as')).toContainText('ada');
    } finally {
      await app.close();
    }
  });
});
