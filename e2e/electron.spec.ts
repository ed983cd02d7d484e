// The same journey in the real Electron app, where an Electron binary exists. On the build machine
// it usually does not: the binary downloads on first use and the machine is offline, so this spec
// prints why it skipped. (The Electron wiring itself runs under a mocked `electron` in
// main/electron/checklist.test.ts.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from '@playwright/test';
import { writeDeployment } from '../main/aws/deployment';
import { electronBinary, noElectronBinary } from '../main/electron/binary';
import { expect, passMicrophoneCheck, referenceClip, repoRoot, signInAs, test } from './fixtures';

const binary = electronBinary();
// The app keeps its secrets with safeStorage and refuses Linux's plaintext fallback, so on Linux a
// keyring (GNOME Keyring or KWallet, on a D-Bus session) must be running.
const keyringMissing = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const skipReason = !binary
  ? `SKIPPED (_electron): ${noElectronBinary} The Chromium specs cover the renderer and the services.`
  : 'SKIPPED (_electron): no D-Bus session, so no keyring for safeStorage; the app would (rightly) refuse to start. Run it under a desktop session or dbus-run-session with gnome-keyring-daemon.';
const skip = !binary || keyringMissing;
if (skip) console.log(skipReason);

test.describe('the Electron app (development build)', () => {
  test.skip(skip, skipReason);

  test('one sandboxed window on app:// that refuses navigation and new windows, then the record journey', async ({ deployment }) => {
    test.setTimeout(240_000);
    const dir = mkdtempSync(join(tmpdir(), 'vv-electron-'));
    const statePath = join(dir, 'local.json');
    await writeDeployment(statePath, deployment);
    const app = await electron.launch({
      executablePath: binary!,
      args: [
        repoRoot,
        `--user-data-dir=${join(dir, 'user-data')}`,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${referenceClip}`,
      ],
      env: { ...process.env, VOICEVAULT_STATE: statePath },
    });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toBe('app://voicevault/index.html');
      expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
      // window.open and navigation are refused by the wiring; the page stays where it is.
      expect(await page.evaluate(() => globalThis.open('https://example.com/') === null)).toBe(true);
      await page.evaluate(() => (globalThis.location.href = 'https://example.com/'));
      await page.waitForTimeout(500);
      expect(page.url()).toBe('app://voicevault/index.html');
      expect(app.windows()).toHaveLength(1);

      await signInAs(page, deployment, 'ada');
      await page.getByLabel(/I have read this and agree/).check();
      await page.getByRole('button', { name: 'Accept and continue' }).click();
      await passMicrophoneCheck(page);
      await page.getByRole('button', { name: 'Continue to recording' }).click();
      await expect(page.getByRole('main').getByRole('button', { name: 'Record', exact: true })).toBeEnabled({ timeout: 15_000 });
      await page.keyboard.press('r');
      await expect(page.getByText(/Recording… [3-9]\.\d s/)).toBeVisible({ timeout: 20_000 });
      await page.keyboard.press('r');
      await expect(page.getByText('Quality check passed', { exact: true })).toBeVisible({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Outbox/ }).click();
      await expect(page.getByRole('list', { name: 'uploaded samples' })).toContainText('Uploaded', { timeout: 60_000 });
    } finally {
      await app.close();
    }
  });
});
