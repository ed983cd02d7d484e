// Where secrets live that must survive a restart: the refresh token and the device key that seals
// takes while KMS is out of reach. The app backs this with Electron's safeStorage (main/electron);
// the CLI with a user-only key file (weaker: anyone who can read the file as this user has the key);
// tests with memory. Services take a SecretStore as an argument and never know which one it is.
import { randomBytes, createCipheriv, createDecipheriv } from 'node:crypto';
import { chmod, mkdir, readFile, rename, unlink, writeFile, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VoiceVaultError } from '../../shared/errors';

export interface SecretStore {
  /** A short description shown to users ("OS keychain (safeStorage)", "key file ~/.voicevault/…"). */
  readonly description: string;
  get(name: string): Promise<Uint8Array | undefined>;
  set(name: string, value: Uint8Array): Promise<void>;
  delete(name: string): Promise<void>;
}

const secretName = /^[a-z0-9][a-z0-9._-]{0,127}$/;

function checkName(name: string): void {
  if (!secretName.test(name)) throw new VoiceVaultError('InvalidArgument', `Invalid secret name ${JSON.stringify(name)}.`);
}

export class MemorySecretStore implements SecretStore {
  readonly description = 'memory (lost when the process ends)';
  private readonly values = new Map<string, Uint8Array>();

  async get(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    const value = this.values.get(name);
    return value ? Uint8Array.from(value) : undefined;
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    checkName(name);
    this.values.set(name, Uint8Array.from(value));
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    this.values.get(name)?.fill(0);
    this.values.delete(name);
  }
}

/** Encrypt/decrypt functions an OS keychain offers (Electron's safeStorage has exactly this shape). */
export interface OsEncryption {
  readonly description: string;
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
}

/**
 * Secrets as files in one user-only folder (0700 folder, 0600 files, atomic writes). With an
 * OsEncryption (the app's safeStorage) each file is encrypted by the OS keychain; without one (the CLI)
 * the files are wrapped with a key kept beside them, which protects against nothing but accidents:
 * the CLI documents that it is weaker.
 */
export class FileSecretStore implements SecretStore {
  readonly description: string;

  constructor(
    private readonly directory: string,
    private readonly encryption?: OsEncryption,
  ) {
    this.description = encryption ? `${encryption.description}, files in ${directory}` : `user-only key files in ${directory} (weaker than an OS keychain)`;
  }

  private path(name: string): string {
    checkName(name);
    return join(this.directory, `${name}.secret`);
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new VoiceVaultError('SecretStoreUnavailable', `Could not read a secret from ${this.directory}.`, { cause: error });
    }
    try {
      return this.encryption ? this.encryption.decrypt(bytes) : await this.unwrap(bytes);
    } catch (error) {
      throw new VoiceVaultError('SecretStoreUnavailable', `A secret in ${this.directory} could not be decrypted; sign in again.`, { cause: error });
    }
  }

  async set(name: string, value: Uint8Array): Promise<void> {
    const path = this.path(name);
    const stored = this.encryption ? this.encryption.encrypt(value) : await this.wrap(value);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await chmod(this.directory, 0o700);
    // Unique per write: two saves of the same secret at once must not share a temporary file.
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(stored);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      throw new VoiceVaultError(code === 'ENOSPC' ? 'DiskFull' : 'SecretStoreUnavailable', code === 'ENOSPC' ? 'The disk is full: a secret could not be saved.' : `Could not save a secret in ${this.directory}.`, { cause: error });
    }
  }

  async delete(name: string): Promise<void> {
    await unlink(this.path(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private async wrappingKey(): Promise<Buffer> {
    const path = join(this.directory, 'wrapping.key');
    try {
      return await readFile(path);
    } catch {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const key = randomBytes(32);
      await writeFile(path, key, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
      return readFile(path);
    }
  }

  private async wrap(value: Uint8Array): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.wrappingKey(), iv);
    const body = Buffer.concat([cipher.update(value), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  private async unwrap(stored: Buffer): Promise<Uint8Array> {
    const decipher = createDecipheriv('aes-256-gcm', await this.wrappingKey(), stored.subarray(0, 12));
    decipher.setAuthTag(stored.subarray(12, 28));
    return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
  }
}
