import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannel, ipcMethods } from '../shared/ipc-contract';

// The Electron binary cannot run here; the mock records what the preload hands to the page.
const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ type: 'success', value: 'ok' }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke: (...args: unknown[]) => invoke(...args), send: () => undefined, on: () => undefined },
}));

describe('preload bridge (checklist item 20: no Electron API reaches the renderer)', () => {
  beforeEach(async () => {
    await import('./index');
  });

  it('exposes exactly the contract functions and nothing of Electron', () => {
    expect(Object.keys(exposed)).toEqual(['voicevault']);
    const api = exposed.voicevault as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...ipcMethods].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api)).not.toContain(invoke);
  });

  it('forwards only the request on the method channel and returns the result', async () => {
    const api = exposed.voicevault as Record<string, (r?: unknown) => Promise<unknown>>;
    await expect(api.signIn!({ username: 'ada', password: 'pw' })).resolves.toEqual({ type: 'success', value: 'ok' });
    expect(invoke).toHaveBeenLastCalledWith(ipcChannel('signIn'), { username: 'ada', password: 'pw' });
  });

  it('passes PCM chunks as the ArrayBuffer itself (structured clone carries it to main)', async () => {
    const api = exposed.voicevault as Record<string, (r?: unknown) => Promise<unknown>>;
    const pcm = new Float32Array([0.25, -0.5]).buffer;
    await api.appendTakeAudio!({ sample: '01JABCDEFGHJKMNPQRSTVWXYZ0', pcm });
    const [channel, request] = invoke.mock.lastCall as [string, { pcm: ArrayBuffer }];
    expect(channel).toBe(ipcChannel('appendTakeAudio'));
    expect(request.pcm).toBe(pcm);
  });
});
