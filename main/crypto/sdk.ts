// How VoiceVault configures the AWS Encryption SDK: one client, the signing suite, the envelope key's
// ARN as the only KMS key, and what counts as "KMS cannot be reached".
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KmsKeyringNode, type KmsNodeClientSupplier } from '@aws-crypto/client-node';
import type { KMS } from '@aws-sdk/client-kms';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';

/** 0x0578: AES-256-GCM, HKDF-SHA512, key commitment, ECDSA P-384 signature (the SDK's default). */
export const signingSuiteId = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;

/** 1 MiB: the 4 KiB default is about four times slower. */
export const defaultFrameLength = 1024 * 1024;

/** One data key per message: sealing makes exactly one and opening refuses more. */
export const sdk = buildClient({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys: 1 });

export const kmsProviderId = 'aws-kms';

const keyArnPattern = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The envelope key must be named by its key ARN: an alias can be re-pointed, and EDKs name the ARN anyway. */
export function checkEnvelopeKeyArn(arn: string): void {
  if (typeof arn !== 'string' || !keyArnPattern.test(arn)) {
    throw new VoiceVaultError(
      'InvalidArgument',
      `The envelope key must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or a key id: got ${JSON.stringify(arn)}.`,
    );
  }
}

type KmsCalls = Exclude<ReturnType<KmsNodeClientSupplier>, false>;

/**
 * A keyring whose only key is the envelope key ARN (generator on encrypt, the one accepted key on
 * decrypt: never discovery). The SDK swallows KMS errors on decrypt into one message string, so
 * `onKmsError` sees them first, to tell "offline" from "altered".
 */
export function envelopeKeyring(kms: KMS, envelopeKeyArn: string, onKmsError?: (error: unknown) => void): KmsKeyringNode {
  checkEnvelopeKeyArn(envelopeKeyArn);
  const noted = <T>(call: Promise<T>) =>
    call.catch((error: unknown) => {
      onKmsError?.(error);
      throw error;
    });
  const calls: KmsCalls = {
    generateDataKey: (args) => noted(kms.generateDataKey(args)),
    encrypt: (args) => noted(kms.encrypt(args)),
    decrypt: (args) => noted(kms.decrypt(args)),
  };
  // The ARN fixes the region; the caller's client is already built for the deployment's region.
  return new KmsKeyringNode({ generatorKeyId: envelopeKeyArn, clientProvider: () => calls });
}

/** Network failures and KMS-side outages (5xx): the cases where a device-key seal is the right answer. */
export function isKmsUnreachable(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'KMSInternalException' || name === 'ServiceUnavailable') return true;
  return toVoiceVaultError(error, 'reach KMS').code === 'NetworkUnavailable';
}

export function kmsUnavailable(doing: string, error: unknown): VoiceVaultError {
  return new VoiceVaultError('KmsUnavailable', `Could not ${doing}: AWS KMS cannot be reached. Nothing was lost; try again when you are online.`, { cause: error });
}
