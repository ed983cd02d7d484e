// Exposes exactly the contract's functions as `window.voicevault`. No ipcRenderer, no event
// objects, no process.env: each function sends only its validated-later request and returns the Result.
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, ipcMethods } from '../shared/ipc-channels';
import type { VoiceVaultApi } from '../shared/ipc-contract';

export function createVoiceVaultApi(invoke: (channel: string, request: unknown) => Promise<unknown>): VoiceVaultApi {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const method of ipcMethods) {
    api[method] = (request?: unknown) => invoke(ipcChannel(method), request);
  }
  return Object.freeze(api) as unknown as VoiceVaultApi;
}

contextBridge.exposeInMainWorld(
  'voicevault',
  createVoiceVaultApi((channel, request) => ipcRenderer.invoke(channel, request)),
);
