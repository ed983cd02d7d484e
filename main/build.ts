// Bundles the Node side: the Electron main process, the preload and the CLI (npm run build:node).
// Dependencies stay external (electron-builder packs node_modules); the e2e test bridge is never an
// entry point, so it cannot reach a release bundle.
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
  absWorkingDir: root,
};

export const bundles: Record<string, BuildOptions> = {
  main: { ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/index.cjs' },
  // A sandboxed preload can only require('electron'); everything else must be inlined.
  preload: { ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/main/preload.cjs', packages: undefined, external: ['electron'] },
  cli: { ...common, entryPoints: ['main/cli/main.ts'], outfile: 'dist/cli.cjs' },
};

await Promise.all(Object.values(bundles).map((options) => build(options)));
console.log(`built ${Object.keys(bundles).join(', ')} into dist/`);
