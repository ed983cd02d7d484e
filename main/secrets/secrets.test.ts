// The secret stores: round trips, user-only files, nothing readable as plaintext on disk, and
// concurrent saves of the same secret.
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, MemorySecretStore, type OsEncryption } from './index';

const secret = new TextEncoder().encode('refresh-token-0123456789abcdef-0123456789abcdef');

describe('secret stores', () => {
  it('keep, return and forget a secret (memory)', async () => {
    const store = new MemorySecretStore();
    await store.set('refresh-token', secret);
    expect(await store.get('refresh-token')).toEqual(secret);
    await store.delete('refresh-token');
    expect(await store.get('refresh-token')).toBeUndefined();
    await expect(store.set('../escape', secret)).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('write user-only files that do not hold the secret in the clear (key file)', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'vv-secrets-')), 'secrets');
    const store = new FileSecretStore(dir);
    await store.set('refresh-token', secret);
    expect(Buffer.from((await new FileSecretStore(dir).get('refresh-token'))!).equals(Buffer.from(secret))).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const name of await readdir(dir)) {
      expect((await stat(join(dir, name))).mode & 0o777, name).toBe(0o600);
      expect(Buffer.from(await readFile(join(dir, name))).includes(Buffer.from(secret))).toBe(false);
    }
    await store.delete('refresh-token');
    expect(await store.get('refresh-token')).toBeUndefined();
  });

  it('survive two saves of the same secret at once: one of them wins, whole', async () => {
    const store = new FileSecretStore(join(await mkdtemp(join(tmpdir(), 'vv-secrets-')), 'secrets'));
    const other = new TextEncoder().encode('another-token-value-that-is-also-long-enough');
    await Promise.all([store.set('refresh-token', secret), store.set('refresh-token', other)]);
    expect([Buffer.from(secret).toString(), Buffer.from(other).toString()]).toContain(Buffer.from((await store.get('refresh-token'))!).toString());
  });

  it('use the OS keychain when given one, and say so when it cannot decrypt', async () => {
    const xor = (bytes: Uint8Array): Uint8Array => bytes.map((b) => b ^ 0x5a);
    let broken = false;
    const keychain: OsEncryption = {
      description: 'test keychain',
      encrypt: xor,
      decrypt: (bytes) => {
        if (broken) throw new Error('keychain locked');
        return xor(bytes);
      },
    };
    const store = new FileSecretStore(join(await mkdtemp(join(tmpdir(), 'vv-secrets-')), 'secrets'), keychain);
    await store.set('device-key', secret);
    expect(Buffer.from((await store.get('device-key'))!).equals(Buffer.from(secret))).toBe(true);
    broken = true;
    await expect(store.get('device-key')).rejects.toMatchObject({ code: 'SecretStoreUnavailable', message: expect.stringContaining('could not be decrypted') });
  });
});
