// Bundles the page shim (with preload/api.ts and the wire codec) into one script for Playwright's
// addInitScript. Done in memory at test time: the shim is never written into dist/.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | undefined;

export function pageShimScript(): Promise<string> {
  cached ??= build({
    entryPoints: [fileURLToPath(new URL('./page-shim.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0]!.text);
  return cached;
}
