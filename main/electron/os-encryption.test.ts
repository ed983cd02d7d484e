import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets';
import { safeStorage as fakeSafeStorage } from './electron-mock';
import { safeStorageEncryption } from './os-encryption';

const withBackend = (backend: string, available = true) => ({
  ...fakeSafeStorage,
  getSelectedStorageBackend: () => backend as 'basic_text',
  isEncryptionAvailable: () => available,
});

describe('the safeStorage secret store', () => {
  it('round-trips binary secrets through keychain-encrypted files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vv-secrets-'));
    const store = new FileSecretStore(dir, safeStorageEncryption(withBackend('gnome_libsecret'), 'linux'));
    const deviceKey = Uint8Array.from({ length: 32 }, (_, i) => (i * 37) & 0xff);
    await store.set('device-key', deviceKey);
    expect(await store.get('device-key')).toEqual(deviceKey);
    const onDisk = await readFile(join(dir, 'device-key.secret'));
    expect(onDisk.includes(Buffer.from(deviceKey).toString('base64'))).toBe(false);
    expect(store.description).toContain('GNOME keyring');
  });

  it("refuses Linux's plaintext basic_text backend and an unknown one, in plain words", () => {
    for (const backend of ['basic_text', 'unknown']) {
      expect(() => safeStorageEncryption(withBackend(backend), 'linux')).toThrow(expect.objectContaining({ code: 'SecretStoreUnavailable', message: expect.stringContaining('No system keyring is running') }));
    }
  });

  it('refuses when the OS offers no encryption at all', () => {
    expect(() => safeStorageEncryption(withBackend('gnome_libsecret', false), 'darwin')).toThrow(/needs your system keychain/);
  });

  it('accepts KWallet on Linux and the platform keychain elsewhere', () => {
    expect(safeStorageEncryption(withBackend('kwallet6'), 'linux').description).toBe('KWallet 6 (safeStorage)');
    expect(safeStorageEncryption(withBackend('basic_text'), 'darwin').description).toBe('macOS Keychain (safeStorage)');
    expect(safeStorageEncryption(withBackend('basic_text'), 'win32').description).toBe('Windows DPAPI (safeStorage)');
  });
});
