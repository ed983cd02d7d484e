// The renderer's API as a plain function of one `invoke`: the preload wires it to ipcRenderer, the
// Playwright page shim to the loopback bridge. One source, so the test harness cannot drift from
// what the app exposes. No Electron here, so the shim can bundle it.
import { ipcChannel, ipcMethods } from '../shared/ipc-channels';
import type { VoiceVaultApi } from '../shared/ipc-contract';

export function createVoiceVaultApi(invoke: (channel: string, request: unknown) => Promise<unknown>): VoiceVaultApi {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const method of ipcMethods) {
    // Only the request crosses: never an event object, a port or a callback.
    api[method] = (request?: unknown) => invoke(ipcChannel(method), request);
  }
  return Object.freeze(api) as unknown as VoiceVaultApi;
}
