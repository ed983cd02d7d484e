// The app's secret store is a FileSecretStore whose files are encrypted by the operating system's
// keychain through Electron's safeStorage. On Linux, safeStorage silently falls back to a
// hard-coded key ("basic_text") when no keyring runs; that is no protection, so it is refused.
import type { SafeStorage } from 'electron';
import { VoiceVaultError } from '../../shared/errors';
import type { OsEncryption } from '../secrets';

type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

const backendNames: Record<string, string> = {
  gnome_libsecret: 'GNOME keyring (libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
};

/** Must be called after the app is ready (safeStorage is unavailable before). */
export function safeStorageEncryption(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): OsEncryption {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new VoiceVaultError(
      'SecretStoreUnavailable',
      'VoiceVault needs your system keychain to protect your sign-in, and none is available. Unlock or install a keychain and start VoiceVault again.',
    );
  }
  let description = platform === 'darwin' ? 'macOS Keychain (safeStorage)' : platform === 'win32' ? 'Windows DPAPI (safeStorage)' : 'system keychain (safeStorage)';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    const name = backendNames[backend];
    if (!name) {
      throw new VoiceVaultError(
        'SecretStoreUnavailable',
        'No system keyring is running (GNOME Keyring or KWallet), so VoiceVault cannot protect your sign-in. Start a keyring and open VoiceVault again.',
      );
    }
    description = `${name} (safeStorage)`;
  }
  return {
    description,
    // safeStorage encrypts strings: binary secrets (device keys) travel as base64.
    encrypt: (plaintext) => new Uint8Array(safeStorage.encryptString(Buffer.from(plaintext).toString('base64'))),
    decrypt: (ciphertext) => new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(ciphertext)), 'base64')),
  };
}
