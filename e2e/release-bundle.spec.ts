// The loopback bridge is a test harness: nothing of it may reach what electron-builder packs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('the release bundles (main, preload, renderer) contain no test bridge', () => {
  const files = [...filesUnder(join(dist, 'main')), ...filesUnder(join(dist, 'renderer'))];
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const marker of ['startTestBridge', 'pageShimScript', 'createBridgeServices', '/bridge/', '$arrayBuffer']) expect(text.includes(marker), `${file} contains ${marker}`).toBe(false);
  }
  const packaging = readFileSync(fileURLToPath(new URL('../electron-builder.yml', import.meta.url)), 'utf8');
  expect(packaging).toMatch(/"!e2e\/\*\*"/);
});
