import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

// Node 20 is end-of-life and the AWS SDK says so on every process; docs/architecture.md records it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts/,
  outputDir: '../test-results/playwright',
  // Two cores and a moto server per worker: one worker, one spec after another.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A stray test.only would silently drop every other test: refused in CI (.ci/run sets CI).
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  // One temporary folder for the whole run (app data, browser profiles), removed at its end.
  globalSetup: fileURLToPath(new URL('../main/test-tmpdir.ts', import.meta.url)),
  // The console list, plus the JSON report `npm run verify` reads (VOICEVAULT_REPORTS, else .voicevault/reports).
  reporter: [['list'], ['json', { outputFile: resolve(process.env.VOICEVAULT_REPORTS ?? fileURLToPath(new URL('../.voicevault/reports', import.meta.url)), 'playwright.json') }]],
  use: { trace: 'off' },
  projects: [
    // The built renderer in Debian Chromium behind the loopback bridge (e2e/fixtures.ts).
    { name: 'chromium', testIgnore: /electron\.spec\.ts/ },
    // The app itself, where an Electron binary exists; otherwise the spec prints why it skipped.
    { name: '_electron', testMatch: /electron\.spec\.ts/ },
  ],
});
