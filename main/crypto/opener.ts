// Opening: the reader's side. Strict keyring on the envelope key ARN (no discovery), one data key per
// message, the signing suite only, and the encryption context compared with the key the object was
// stored under, so a moved, swapped, truncated or altered object is refused in plain words.
import type { KMS } from '@aws-sdk/client-kms';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import { contextFromObjectKey, contextMismatch, sealContextFrom, type ExtraExpectedContext, type SealContext } from './context';
import { deviceKeyNamespace } from './device-key';
import { readSealedHeader } from './header';
import { envelopeKeyring, isKmsUnreachable, kmsProviderId, kmsUnavailable, sdk, signingSuiteId } from './sdk';

export interface OpenedObject {
  plaintext: Uint8Array;
  context: SealContext;
}

export interface OpenerOptions {
  kms: KMS;
  envelopeKeyArn: string;
}

export interface Opener {
  /** `objectKey` is where the ciphertext was stored; `extra` states consent or policy when the reader knows them. */
  open(ciphertext: Uint8Array, objectKey: string, extra?: ExtraExpectedContext): Promise<OpenedObject>;
}

export function createOpener({ kms, envelopeKeyArn }: OpenerOptions): Opener {
  envelopeKeyring(kms, envelopeKeyArn); // refuses an alias now rather than at the first open

  return {
    async open(ciphertext, objectKey, extra = {}) {
      const expected = contextFromObjectKey(objectKey);
      const refuse = (code: 'IntegrityError' | 'ContextMismatch', why: string, cause?: unknown) =>
        new VoiceVaultError(code, `${objectKey} cannot be opened: ${why}.`, cause === undefined ? undefined : { cause });

      // Checked before KMS is asked, for a clear answer; the SDK enforces the same on the authenticated header.
      const header = readSealedHeader(ciphertext);
      if (header.suiteId !== signingSuiteId) throw refuse('IntegrityError', `it is not sealed with the signed suite VoiceVault uses (suite 0x${header.suiteId.toString(16).padStart(4, '0')})`);
      const [dataKey, ...others] = header.encryptedDataKeys;
      if (others.length > 0) throw refuse('IntegrityError', `it carries ${header.encryptedDataKeys.length} data keys; VoiceVault seals each object under exactly one`);
      if (dataKey?.providerId === deviceKeyNamespace) throw refuse('IntegrityError', 'it is still sealed under a device key and has not been re-sealed under KMS');
      if (dataKey?.providerId !== kmsProviderId || dataKey.providerInfo !== envelopeKeyArn) throw refuse('IntegrityError', 'it was sealed under a key other than this deployment\'s envelope key');
      const mismatch = contextMismatch(header.encryptionContext, expected, extra);
      if (mismatch) throw refuse('ContextMismatch', `${mismatch}; the object was moved, swapped or sealed for another place`);

      const kmsErrors: unknown[] = [];
      const keyring = envelopeKeyring(kms, envelopeKeyArn, (error) => kmsErrors.push(error));
      let decrypted: Awaited<ReturnType<typeof sdk.decrypt>>;
      try {
        decrypted = await sdk.decrypt(keyring, ciphertext);
      } catch (error) {
        const kmsError = kmsErrors[0];
        if (kmsError !== undefined) {
          if (isKmsUnreachable(kmsError)) throw kmsUnavailable(`open ${objectKey}`, kmsError);
          const name = (kmsError as { name?: string }).name;
          // KMS refuses a data key whose context was changed: the header was altered.
          if (name === 'InvalidCiphertextException') throw refuse('IntegrityError', 'KMS refused its data key (the header was altered)', kmsError);
          throw toVoiceVaultError(kmsError, `open ${objectKey}`);
        }
        const message = (error as Error).message ?? '';
        if (/incomplete/i.test(message)) throw refuse('IntegrityError', 'it is incomplete (truncated)', error);
        throw refuse('IntegrityError', `it is damaged, truncated or was altered (${message})`, error);
      }
      const authenticated = decrypted.messageHeader.encryptionContext;
      const after = contextMismatch(authenticated, expected, extra);
      if (after) throw refuse('ContextMismatch', after);
      return { plaintext: decrypted.plaintext, context: sealContextFrom(authenticated) };
    },
  };
}
