// The renderer's only way out: the contract functions the preload (or the test bridge) exposes.
import type { VoiceVaultApi } from '../../shared/ipc-contract';

export function voiceVaultApi(): VoiceVaultApi {
  const api = (window as unknown as { voicevault?: VoiceVaultApi }).voicevault;
  if (!api) throw new Error('VoiceVault must run inside the app: the bridge to the main process is missing.');
  return api;
}
