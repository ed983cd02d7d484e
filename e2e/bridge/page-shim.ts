// Runs in the page before the app (a Playwright init script, bundled at test time by
// e2e/bridge/shim-bundle.ts, never by the app's build): defines `window.voicevault` with the very
// function the preload exposes (preload/api.ts), its `invoke` POSTing to the loopback bridge instead
// of going over IPC. ArrayBuffers travel as tagged base64 (wire.ts).
import { createVoiceVaultApi } from '../../preload/api';
import { decodeWire, encodeWire } from './wire';

const api = createVoiceVaultApi(async (channel, request) => {
  const response = await fetch(`/bridge/${encodeURIComponent(channel)}`, {
    method: 'POST',
    body: request === undefined ? '' : JSON.stringify(encodeWire(request)),
  });
  return decodeWire(await response.json());
});

Object.defineProperty(window, 'voicevault', { value: api, writable: false, configurable: false });
