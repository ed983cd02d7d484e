// The device key seals takes while KMS is out of reach. It is an AES-256 key generated once and kept in
// the SecretStore (safeStorage in the app, a user-only key file in the CLI); it is only ever handed to
// the Encryption SDK's raw AES keyring, never written anywhere else or returned to a caller.
import { randomFillSync } from 'node:crypto';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node';
import { VoiceVaultError } from '../../shared/errors';
import type { SecretStore } from '../secrets';

/** The EDK provider id of a device-sealed message. */
export const deviceKeyNamespace = 'voicevault-device';
/** The secret's name in the SecretStore. */
export const deviceKeySecretName = 'device-sealing-key';

export class DeviceKeys {
  private readonly keyrings = new Map<string, Promise<RawAesKeyringNode>>();
  private reads: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: SecretStore) {}

  /** The keyring for one contractor: the key name (the contractor's sub) is bound into every data key it wraps. */
  keyring(contractor: string, options: { create: boolean }): Promise<RawAesKeyringNode> {
    let keyring = this.keyrings.get(contractor);
    if (!keyring) {
      keyring = this.readKey(options.create).then(
        (unencryptedMasterKey) =>
          // The SDK moves the key into a KeyObject and zeroes this copy, so the bytes are read once per keyring.
          new RawAesKeyringNode({
            keyNamespace: deviceKeyNamespace,
            keyName: contractor,
            unencryptedMasterKey,
            wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
          }),
      );
      this.keyrings.set(contractor, keyring);
      keyring.catch(() => this.keyrings.delete(contractor));
    }
    return keyring;
  }

  // One read (or creation) at a time: two takes sealed at once must not each make a key.
  private readKey(create: boolean): Promise<Uint8Array> {
    const read = this.reads.then(() => this.readOrCreate(create));
    this.reads = read.catch(() => undefined);
    return read;
  }

  private async readOrCreate(create: boolean): Promise<Uint8Array> {
    const stored = await this.store.get(deviceKeySecretName);
    if (stored) {
      if (stored.length !== 32) throw new VoiceVaultError('SecretStoreUnavailable', `The device key in ${this.store.description} is damaged (${stored.length} bytes, not 32).`);
      const isolated = new Uint8Array(stored); // the SDK wants a buffer of its own, not a view into a shared one
      stored.fill(0);
      return isolated;
    }
    if (!create) {
      throw new VoiceVaultError('SecretStoreUnavailable', `There is no device key in ${this.store.description}, so takes sealed on this device while offline cannot be opened here.`);
    }
    const key = randomFillSync(new Uint8Array(32));
    await this.store.set(deviceKeySecretName, key);
    return key;
  }
}
