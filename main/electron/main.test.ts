// The entry point's lifecycle under a recording `electron` mock (the binary cannot run here): each
// test loads main.ts afresh, so its module-level wiring runs again with the scenario's answers.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ElectronMock from './electron-mock';

vi.mock('electron', async () => await import('./electron-mock'));

async function freshElectron(): Promise<typeof ElectronMock> {
  vi.resetModules();
  Object.assign(process, { resourcesPath: tmpdir() }); // set by Electron: the app's resources folder
  const electron = (await import('electron')) as unknown as typeof ElectronMock;
  electron.resetState();
  return electron;
}

let errors: string[];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.VOICEVAULT_STATE;
});

describe('Electron entry point', () => {
  it('a second instance quits at once and never opens a window or registers handlers', async () => {
    const electron = await freshElectron();
    electron.state.singleInstanceLock = false;
    const { started } = await import('./main');
    expect(await started).toBeUndefined();
    expect(electron.state.calls).toContain('app.quit');
    expect(electron.state.windows).toHaveLength(0);
    expect(electron.state.protocolHandlers.size).toBe(0);
    expect(electron.state.ipcHandlers.size).toBe(0);
  });

  it('without a deployment it says so in a sentence and quits, before any window or IPC exists', async () => {
    const electron = await freshElectron();
    const dir = await mkdtemp(join(tmpdir(), 'vv-electron-'));
    electron.state.appPath = dir;
    electron.state.userDataPath = join(dir, 'user-data');
    process.env.VOICEVAULT_STATE = join(dir, 'missing.json');
    const { started } = await import('./main');
    expect(await started).toBeUndefined();
    expect(electron.state.calls).toContain('app.quit');
    expect(electron.state.windows).toHaveLength(0);
    expect(electron.state.ipcHandlers.size).toBe(0);
    expect(errors.join('\n')).toMatch(/No VoiceVault state file at .*missing\.json/);
  });

  it('refuses to run on Linux with the plaintext basic_text secret backend, and stores nothing', async () => {
    const electron = await freshElectron();
    const dir = await mkdtemp(join(tmpdir(), 'vv-electron-'));
    const { writeDeployment } = await import('../aws/deployment');
    await writeDeployment(join(dir, 'state.json'), electron.emulatorDeployment);
    process.env.VOICEVAULT_STATE = join(dir, 'state.json');
    electron.state.appPath = dir;
    electron.state.userDataPath = join(dir, 'user-data');
    electron.state.storageBackend = 'basic_text';
    const { started } = await import('./main');
    if (process.platform !== 'linux') return; // the backend question exists on Linux only
    expect(await started).toBeUndefined();
    expect(errors.join('\n')).toContain('No system keyring is running');
    expect(electron.state.windows).toHaveLength(0);
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});
