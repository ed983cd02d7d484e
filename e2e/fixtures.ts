// Playwright fixtures: each worker gets its own moto server, provisioned from the shared config,
// and a loopback bridge to the real main-process services; each test a fresh page with the shim.
import { fileURLToPath } from 'node:url';
import { test as base, chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ipcMethods } from '../shared/ipc-contract';
import type { Deployment } from '../main/aws/deployment';
import { startProvisionedEmulator } from '../main/emulator/local-emulator';
import { createSessionHandlers } from '../main/session';
import { startTestBridge, type TestBridge } from './bridge/server';
import { installBridgeShim } from './bridge/page-shim';
import { chromiumArgs, chromiumPath } from './chromium';

const rendererRoot = fileURLToPath(new URL('../dist/renderer', import.meta.url));

interface WorkerFixtures {
  deployment: Deployment;
  browser: Browser;
}

interface TestFixtures {
  /** Opens a new page on the bridge for each call, so a test can start over as a fresh app. */
  openApp: () => Promise<Page>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  deployment: [
    async ({}, use) => {
      const { moto, deployment } = await startProvisionedEmulator();
      try {
        await use(deployment);
      } finally {
        await moto.stop();
      }
    },
    { scope: 'worker' },
  ],
  browser: [
    async ({}, use) => {
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs, headless: true });
      try {
        await use(browser);
      } finally {
        await browser.close();
      }
    },
    { scope: 'worker' },
  ],
  openApp: async ({ browser, deployment }, use) => {
    const bridges: TestBridge[] = [];
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const bridge = await startTestBridge(rendererRoot, createSessionHandlers({ deployment, appVersion: '0.1.0-e2e' }));
      bridges.push(bridge);
      const context = await browser.newContext();
      contexts.push(context);
      await context.addInitScript(installBridgeShim, [...ipcMethods]);
      const page = await context.newPage();
      await page.goto(`${bridge.url}/index.html`);
      return page;
    });
    for (const context of contexts) await context.close();
    for (const bridge of bridges) await bridge.close();
  },
});

export { expect } from '@playwright/test';
