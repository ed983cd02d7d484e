import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Where the JSON reports go (VOICEVAULT_REPORTS, else .voicevault/reports): npm run verify reads them there.
const reports = process.env.VOICEVAULT_REPORTS ?? '.voicevault/reports';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'infra/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Integration tests start their own moto server and real decoders; two cores, so two workers.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // A stray .only would silently drop every other test: refused in CI (.ci/run sets CI).
    allowOnly: !process.env.CI,
    hookTimeout: 60_000,
    // One temporary folder for the whole run, removed at its end.
    // (by absolute path: a run may take another --root, as main/build.test.ts does).
    globalSetup: [fileURLToPath(new URL('./main/test-tmpdir.ts', import.meta.url))],
    // The console reporter, plus the files `npm run verify` reads (main/verify/test-reports.ts): it reads
    // this run instead of running the suites again.
    reporters: [
      'default',
      ['json', { outputFile: `${reports}/vitest.json` }],
      ['./main/verify/evidence-reporter.ts', { outputFile: `${reports}/vitest-console.json` }],
    ],
    // Node 20 is end-of-life and the AWS SDK says so on every process; docs/architecture.md records it once.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
