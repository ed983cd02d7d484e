import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'infra/**/*.test.ts', 'preload/**/*.test.ts'],
    // Integration tests start their own moto server and real decoders; two cores, so two workers.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
