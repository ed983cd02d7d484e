#!/usr/bin/env node
// Runs the bundled CLI (npm run build:node), or the TypeScript source through tsx in a checkout.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundled = join(__dirname, '..', '..', 'dist', 'cli.cjs');
if (existsSync(bundled)) {
  require(bundled);
} else {
  require('tsx/cjs');
  require(join(__dirname, 'main.ts'));
}
