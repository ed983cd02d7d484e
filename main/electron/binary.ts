// Where the Electron binary is, found the way the `electron` package finds it but without its
// download-on-first-use (which fails offline). Used by `npm start` and the _electron e2e project.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable) : join(packageDir, 'dist', executable);
  return existsSync(pathFile) || env.ELECTRON_OVERRIDE_DIST_PATH ? (existsSync(binary) ? binary : undefined) : undefined;
}

export const noElectronBinary =
  'No Electron binary on this machine: the electron package downloads it on first use, and this machine cannot reach the download. ' +
  'On a machine with network access run `npx install-electron` once (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron), then try again.';
