// Debian's Chromium, as it must be started here (root, closed network).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VOICEVAULT_CHROMIUM) return env.VOICEVAULT_CHROMIUM;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium was not found on PATH. Install it (apt-get install chromium) or set VOICEVAULT_CHROMIUM.');
  }
}

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function freshUserDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'voicevault-chromium-'));
}
