import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannel, ipcMethods } from '../shared/ipc-contract';

// The Electron binary cannot run here; the mock records what the preload hands to the page.
const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ type: 'success', value: 'ok' }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke: (...args: unknown[]) => invoke(...args) },
}));

describe('preload bridge', () => {
  beforeEach(async () => {
    await import('./index');
  });

  it('exposes exactly the contract functions and nothing of Electron', () => {
    expect(Object.keys(exposed)).toEqual(['voicevault']);
    const api = exposed.voicevault as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...ipcMethods].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards only the request on the method channel and returns the result', async () => {
    const api = exposed.voicevault as Record<string, (r?: unknown) => Promise<unknown>>;
    await expect(api.signIn!({ username: 'ada', password: 'pw' })).resolves.toEqual({ type: 'success', value: 'ok' });
    expect(invoke).toHaveBeenLastCalledWith(ipcChannel('signIn'), { username: 'ada', password: 'pw' });
  });
});
