// Sealing: one Encryption SDK message per object, under a data key from the envelope KMS key, with the
// object's SealContext as encryption context. Offline, the device key stands in, and `reseal` moves a
// device-sealed message under KMS once KMS answers again.
import { createHash } from 'node:crypto';
import type { KMS } from '@aws-sdk/client-kms';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import type { SecretStore } from '../secrets';
import { encryptionContextOf, objectKeyFor, sdkPublicKeyContextKey, type SealContext } from './context';
import { DeviceKeys, deviceKeyNamespace } from './device-key';
import { readSealedHeader } from './header';
import { defaultFrameLength, envelopeKeyring, isKmsUnreachable, kmsUnavailable, sdk, signingSuiteId } from './sdk';

export interface SealedObject {
  ciphertext: Uint8Array;
  /** Base64 SHA-256 of the ciphertext: what S3's ChecksumSHA256 must return. */
  sha256: string;
  sealedWith: 'kms' | 'device';
  context: SealContext;
  /** objectKeyFor(context). */
  key: string;
}

export interface SealerOptions {
  /** The aggregated KMS client (the SDK's KMS keyring wants it, not KMSClient). */
  kms: KMS;
  /** The envelope key's ARN; an alias or a bare key id is refused. */
  envelopeKeyArn: string;
  /** Where the device key lives. Without it, sealing while KMS is unreachable fails with KmsUnavailable. */
  deviceKeys?: SecretStore;
  frameLength?: number;
}

export interface Sealer {
  seal(plaintext: Uint8Array, context: SealContext): Promise<SealedObject>;
  /** Re-seals a device-sealed message under KMS after checking it carries exactly `expected`. */
  reseal(deviceSealed: Uint8Array, expected: SealContext): Promise<SealedObject>;
  /** Opens a device-sealed message whose context is exactly `expected`; the caller zeroes the plaintext. */
  openDeviceSealed(deviceSealed: Uint8Array, expected: SealContext): Promise<Uint8Array>;
}

export function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function sameEntries(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

export function createSealer({ kms, envelopeKeyArn, deviceKeys, frameLength = defaultFrameLength }: SealerOptions): Sealer {
  const keyring = envelopeKeyring(kms, envelopeKeyArn);
  const device = deviceKeys ? new DeviceKeys(deviceKeys) : undefined;

  const sealed = (ciphertext: Uint8Array, context: SealContext, sealedWith: SealedObject['sealedWith'], key: string): SealedObject => ({
    ciphertext,
    sha256: sha256Base64(ciphertext),
    sealedWith,
    context,
    key,
  });

  async function openDeviceSealed(deviceSealed: Uint8Array, expected: SealContext): Promise<Uint8Array> {
    const key = objectKeyFor(expected);
    const header = readSealedHeader(deviceSealed);
    if (header.encryptedDataKeys.length !== 1 || header.encryptedDataKeys[0]?.providerId !== deviceKeyNamespace) {
      throw new VoiceVaultError('InvalidArgument', `${key} is not sealed under this device's key, so there is nothing to re-seal.`);
    }
    if (!device) throw new VoiceVaultError('SecretStoreUnavailable', `Cannot open the device-sealed ${key}: this sealer was given no secret store holding the device key.`);
    const deviceKeyring = await device.keyring(expected.contractor, { create: false });
    let decrypted: Awaited<ReturnType<typeof sdk.decrypt>>;
    try {
      decrypted = await sdk.decrypt(deviceKeyring, deviceSealed);
    } catch (error) {
      throw new VoiceVaultError('IntegrityError', `The device-sealed ${key} is damaged or was altered, or another device sealed it (${(error as Error).message}).`, { cause: error });
    }
    const { [sdkPublicKeyContextKey]: _publicKey, ...context } = decrypted.messageHeader.encryptionContext;
    if (!sameEntries(context, encryptionContextOf(expected)) || decrypted.messageHeader.suiteId !== signingSuiteId) {
      decrypted.plaintext.fill(0);
      throw new VoiceVaultError('ContextMismatch', `The device-sealed ${key} was sealed for a different object; it is left as it is.`);
    }
    return decrypted.plaintext;
  }

  async function sealWithKms(plaintext: Uint8Array, context: SealContext): Promise<Uint8Array> {
    const { result } = await sdk.encrypt(keyring, plaintext, { encryptionContext: encryptionContextOf(context), frameLength, suiteId: signingSuiteId });
    return result;
  }

  return {
    async seal(plaintext, context) {
      const key = objectKeyFor(context);
      try {
        return sealed(await sealWithKms(plaintext, context), context, 'kms', key);
      } catch (error) {
        if (!isKmsUnreachable(error)) throw toVoiceVaultError(error, `seal ${key}`);
        if (!device) throw kmsUnavailable(`seal ${key}`, error);
        const deviceKeyring = await device.keyring(context.contractor, { create: true });
        const { result } = await sdk.encrypt(deviceKeyring, plaintext, { encryptionContext: encryptionContextOf(context), frameLength, suiteId: signingSuiteId });
        return sealed(result, context, 'device', key);
      }
    },

    openDeviceSealed,

    async reseal(deviceSealed, expected) {
      const key = objectKeyFor(expected);
      const plaintext = await openDeviceSealed(deviceSealed, expected);
      try {
        return sealed(await sealWithKms(plaintext, expected), expected, 'kms', key);
      } catch (error) {
        if (isKmsUnreachable(error)) throw kmsUnavailable(`re-seal ${key}`, error);
        throw toVoiceVaultError(error, `re-seal ${key}`);
      } finally {
        plaintext.fill(0);
      }
    },
  };
}
