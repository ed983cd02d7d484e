// Playwright fixtures: each worker gets its own moto server, provisioned from the shared config,
// and Debian's Chromium with a fake microphone fed from a WAV file; each test opens the built
// renderer behind a loopback bridge to the real main-process services (composed in
// e2e/bridge/services.ts), with the page shim bundled from preload/api.ts.
import { mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { test as base, chromium, expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { IpcMethod } from '../shared/ipc-contract';
import { decodeAudioFile, encodeWav } from '../main/audio';
import type { Deployment } from '../main/aws/deployment';
import { startProvisionedEmulator } from '../main/emulator/local-emulator';
import type { AwsTarget } from '../main/aws/target';
import type { SessionHandlerOptions } from '../main/session';
import { startTestBridge, type TestBridge } from './bridge/server';
import { createBridgeServices, type BridgeServices } from './bridge/services';
import { pageShimScript } from './bridge/shim-bundle';
import { chromiumArgs, chromiumPath } from './chromium';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const rendererRoot = join(repoRoot, 'dist', 'renderer');
/** The reference clip the fake microphone plays (Chromium loops it from an arbitrary offset). */
export const referenceClip = join(repoRoot, 'shared', 'reference', 'audio', 'speech_en_16k.wav');
export const screenshotDir = join(repoRoot, 'test-results', 'screens');

export interface CapturedTake {
  sample: string;
  sampleRate: number;
  chunks: Float32Array[];
}

export interface AppHandle {
  page: Page;
  bridge: TestBridge;
  services: BridgeServices;
  /** Everything the page sent as take audio, per sample (copied as the bridge received it). */
  takes: Map<string, CapturedTake>;
  /** Every contract call the page made, in order. */
  calls: IpcMethod[];
}

interface WorkerFixtures {
  /** Scales the reference clip the fake microphone plays (e.g. 0.003 for a speaker far too quiet). */
  microphoneGain: number;
  /** Specs that change the emulator (e.g. MFA on for the whole pool) name their own, so they get their own worker and moto. */
  emulatorName: string;
  /** The WAV Chromium's fake microphone plays. */
  microphoneWav: string;
  emulator: { deployment: Deployment; adminTarget: AwsTarget; endpoint: string };
  deployment: Deployment;
  browser: Browser;
}

interface TestFixtures {
  /** Opens a fresh app window (its own data folder and session); `deployment` overrides the emulator's (e.g. through a proxy). */
  openApp: (options?: { deployment?: Deployment; dataDir?: string; handlerOptions?: SessionHandlerOptions }) => Promise<AppHandle>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  microphoneGain: [1, { scope: 'worker', option: true }],
  emulatorName: ['shared', { scope: 'worker', option: true }],
  microphoneWav: [
    async ({ microphoneGain }, use) => {
      if (microphoneGain === 1) return use(referenceClip);
      const clip = await decodeAudioFile(referenceClip);
      const path = join(mkdtempSync(join(tmpdir(), 'vv-e2e-mic-')), 'quiet.wav');
      await writeFile(path, encodeWav([clip.samples.map((x) => x * microphoneGain)], { sampleRate: clip.sampleRate, sampleFormat: 'pcm-s16' }));
      await use(path);
    },
    { scope: 'worker' },
  ],
  emulator: [
    async ({ emulatorName: _separateWorkerPerName }, use) => {
      const { moto, deployment, target } = await startProvisionedEmulator();
      try {
        await use({ deployment, adminTarget: target, endpoint: moto.endpoint });
      } finally {
        await moto.stop();
      }
    },
    { scope: 'worker' },
  ],
  deployment: [async ({ emulator }, use) => use(emulator.deployment), { scope: 'worker' }],
  browser: [
    async ({ microphoneWav }, use) => {
      const browser = await chromium.launch({
        executablePath: chromiumPath(),
        headless: true,
        args: [
          ...chromiumArgs,
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-audio-capture=${microphoneWav}`,
          // Electron's default; the browser's would hold the AudioContext until a click.
          '--autoplay-policy=no-user-gesture-required',
        ],
      });
      try {
        await use(browser);
      } finally {
        await browser.close();
      }
    },
    { scope: 'worker' },
  ],
  openApp: async ({ browser, deployment }, use) => {
    const opened: { bridge: TestBridge; context: BrowserContext; services: BridgeServices }[] = [];
    const shim = await pageShimScript();
    // Uncaught exceptions and unhandled rejections in the page fail the test that caused them.
    const pageErrors: string[] = [];
    await use(async (options = {}) => {
      const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vv-e2e-data-'));
      await mkdir(dataDir, { recursive: true });
      const services = await createBridgeServices(options.deployment ?? deployment, dataDir, options.handlerOptions);
      const takes = new Map<string, CapturedTake>();
      const calls: IpcMethod[] = [];
      const pendingRates: number[] = [];
      const bridge = await startTestBridge(rendererRoot, services.handlers, {
        onRequest: (method, request) => {
          calls.push(method);
          if (method === 'beginTake') pendingRates.push((request as { sampleRate: number }).sampleRate);
          if (method === 'appendTakeAudio') {
            const { sample, pcm } = request as { sample: string; pcm: ArrayBuffer };
            const take = takes.get(sample) ?? { sample, sampleRate: pendingRates.at(-1) ?? 0, chunks: [] };
            take.chunks.push(new Float32Array(pcm.slice(0)));
            takes.set(sample, take);
          }
        },
      });
      const context = await browser.newContext({ viewport: { width: 1100, height: 860 } });
      opened.push({ bridge, context, services });
      await context.addInitScript({ content: shim });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${bridge.url}/index.html`);
      return { page, bridge, services, takes, calls };
    });
    for (const { context, bridge, services } of opened) {
      await context.close();
      await services.close();
      await bridge.close();
    }
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
  },
});

export { expect };

/** Saves a screenshot under test-results/screens/ (kept for people to look at) and attaches it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

/** axe-core on the current screen: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const severe = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(severe, `axe on the ${screen} screen`).toEqual([]);
}

/** Signs a demo contractor in through the form and lands on the first screen after sign-in. */
export async function signInAs(page: Page, deployment: Deployment, username = 'ada'): Promise<void> {
  const user = deployment.demoUsers.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText(`Signed in as ${username}`);
}

/**
 * Runs the five-second microphone check until it passes (at most four tries), as a contractor would
 * press "Check again". Chromium loops the reference clip from an arbitrary offset, and a window of
 * unbroken speech reads as a noisy room (about one window in six of this clip), so a new window passes.
 * `press` starts a check: a click, or Enter on the focused button for keyboard-only journeys.
 */
export async function passMicrophoneCheck(page: Page, press: (button: Locator) => Promise<void> = (button) => button.click()): Promise<void> {
  const report = page.getByRole('region', { name: 'microphone check result' });
  for (let attempt = 1; ; attempt++) {
    const button = page.getByRole('button', { name: attempt === 1 ? /Check microphone/ : 'Check again' });
    await expect(button).toBeEnabled({ timeout: 15_000 });
    await press(button);
    await expect(report).toContainText(/fine|could be better/, { timeout: 30_000 });
    if ((await report.innerText()).includes('Your microphone and room are fine.') || attempt === 4) break;
  }
  await expect(report).toContainText('Your microphone and room are fine.');
}
