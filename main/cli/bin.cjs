#!/usr/bin/env node
// The `voicevault` command. After `npm run build` it runs the bundle, dist/cli.cjs (what ships); in a checkout
// that has not been built it runs the TypeScript source through tsx's ESM loader (the package is ESM with
// extensionless imports, which Node alone does not resolve). VOICEVAULT_CLI=source or =bundle picks one.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundle = join(__dirname, '..', '..', 'dist', 'cli.cjs');
const choice = process.env.VOICEVAULT_CLI;

function fail(message) {
  process.stderr.write(`voicevault: ${message}\n`);
  process.exit(2);
}

if (choice !== undefined && choice !== '' && choice !== 'source' && choice !== 'bundle') {
  fail(`VOICEVAULT_CLI must be 'source' or 'bundle' (got '${choice}')`);
}
if (choice === 'bundle' || (choice !== 'source' && existsSync(bundle))) {
  if (!existsSync(bundle)) fail(`${bundle} does not exist; run npm run build first`);
  require(bundle);
} else {
  try {
    require.resolve('tsx/esm');
  } catch {
    fail('running from source needs the dev dependencies (npm ci), or run npm run build first');
  }
  // Importing tsx/esm registers its loader hooks (what `node --import tsx` does) before the entry point loads.
  import('tsx/esm')
    .then(() => import(pathToFileURL(join(__dirname, 'main.ts')).href))
    .catch((error) => fail(error instanceof Error ? error.message : String(error)));
}
