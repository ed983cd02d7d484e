// Exposes exactly the contract's functions as `window.voicevault`. No ipcRenderer, no event
// objects, no process.env: each function sends only its request (main validates it) and returns the Result.
import { contextBridge, ipcRenderer } from 'electron';
import { createVoiceVaultApi } from './api';

export { createVoiceVaultApi } from './api';

contextBridge.exposeInMainWorld(
  'voicevault',
  createVoiceVaultApi((channel, request) => ipcRenderer.invoke(channel, request)),
);
