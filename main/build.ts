// Bundles the Node side: the Electron main process, the preload and the CLI (npm run build:node).
// Dependencies stay external (electron-builder packs node_modules); the e2e test bridge is never an
// entry point, so it cannot reach a release bundle. Tests that run the bundles call ensureNodeBundles(),
// which rebuilds only when a file that went into them changed.
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/**
 * Node-side bundles. CommonJS has no import.meta, and esbuild would leave it an empty object: the decoders
 * locate their packages' WebAssembly files from import.meta.url, so each bundle gets its own file URL there.
 */
const nodeSide: BuildOptions = {
  ...common,
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundleFileUrl' },
};

export const bundles: Record<string, BuildOptions> = {
  main: { ...nodeSide, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/index.cjs' },
  // The main process's audio stage alone, bundled exactly like `main`: the main bundle needs Electron to load,
  // so tests decode every format through this one to check the decoders as the app ships them.
  audio: { ...nodeSide, entryPoints: ['main/audio/index.ts'], outfile: 'dist/main/audio.cjs' },
  // A sandboxed preload can only require('electron'); everything else must be inlined.
  preload: { ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/main/preload.cjs', packages: undefined, external: ['electron'] },
  cli: { ...nodeSide, entryPoints: ['main/cli/main.ts'], outfile: 'dist/cli.cjs' },
};

/** Absolute path of a bundle's output, e.g. bundlePath('cli'). */
export function bundlePath(name: keyof typeof bundles): string {
  return join(root, bundles[name]!.outfile!);
}

/** Per bundle, the source files its last build read, so a later check can tell whether it is stale. */
const inputsRecord = (name: string): string => join(root, 'dist', '.inputs', `${name}.json`);

/** Writes `contents` to a temporary name and renames it into place: a reader never sees half a file. */
async function writeAtomically(path: string, contents: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/** Builds the named bundles (all by default), each on its own, so one that fails does not stop the others. */
export async function buildNodeBundles(names: readonly string[] = Object.keys(bundles)): Promise<void> {
  const results = await Promise.allSettled(
    names.map(async (name) => {
      const options = bundles[name];
      if (!options) throw new Error(`no bundle named ${name}`);
      const result = await build({ ...options, write: false, metafile: true });
      for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
      const inputs = ['package-lock.json', 'main/build.ts', ...Object.keys((result.metafile as Metafile).inputs)];
      await writeAtomically(inputsRecord(name), JSON.stringify(inputs));
    }),
  );
  const failed = names.filter((_, i) => results[i]!.status === 'rejected');
  if (failed.length > 0) throw new Error(`could not build ${failed.join(', ')} (esbuild printed why above)`);
}

async function modified(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when the bundle is missing or a file that went into its last build changed after it. */
export async function nodeBundleStale(name: string): Promise<boolean> {
  const built = await modified(inputsRecord(name));
  if (built === undefined || (await modified(bundlePath(name))) === undefined) return true;
  const inputs = JSON.parse(await readFile(inputsRecord(name), 'utf8')) as string[];
  for (const input of inputs) {
    const time = await modified(join(root, input));
    if (time === undefined || time > built) return true;
  }
  return false;
}

/** Builds the named bundles if they are missing or stale (tests that run dist/ call this first). */
export async function ensureNodeBundles(names: readonly string[]): Promise<void> {
  const stale: string[] = [];
  for (const name of names) if (await nodeBundleStale(name)) stale.push(name);
  if (stale.length > 0) await buildNodeBundles(stale);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await buildNodeBundles();
    console.log(`built ${Object.keys(bundles).join(', ')} into dist/`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
