// Reads a sealed message's header without decrypting anything: suite, encryption context, data keys
// and frame length. Used to check an object before asking KMS, and by tests, the demo and `verify`.
import { NodeAlgorithmSuite } from '@aws-crypto/client-node';
import { deserializeFactory } from '@aws-crypto/serialize';
import { VoiceVaultError } from '../../shared/errors';

export interface SealedHeader {
  /** The algorithm suite id; VoiceVault seals with 0x0578 (AES-256-GCM, HKDF-SHA512, key commitment, ECDSA P-384). */
  suiteId: number;
  encryptionContext: Record<string, string>;
  /** Who can unwrap the data key: `aws-kms` + key ARN, or `voicevault-device` + the raw AES keyring's info. */
  encryptedDataKeys: { providerId: string; providerInfo: string }[];
  frameLength: number;
  messageFormatVersion: number;
  /** Bytes before the body (header and header authentication). */
  headerLength: number;
}

const toUtf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
// Data-key count is left unlimited here so that a message with too many keys can be described, not just refused.
const { deserializeMessageHeader } = deserializeFactory(toUtf8, NodeAlgorithmSuite);

/** Throws IntegrityError when the bytes do not start with a complete Encryption SDK message header. */
export function readSealedHeader(ciphertext: Uint8Array): SealedHeader {
  let info: ReturnType<typeof deserializeMessageHeader>;
  try {
    info = deserializeMessageHeader(ciphertext, { maxEncryptedDataKeys: false });
  } catch (error) {
    throw new VoiceVaultError('IntegrityError', `This is not a readable sealed object: its header is damaged (${(error as Error).message}).`, { cause: error });
  }
  if (!info) throw new VoiceVaultError('IntegrityError', 'This is not a complete sealed object: it ends inside its header (truncated).');
  const { messageHeader, headerLength, headerAuth } = info;
  return {
    suiteId: messageHeader.suiteId,
    encryptionContext: { ...messageHeader.encryptionContext },
    encryptedDataKeys: messageHeader.encryptedDataKeys.map(({ providerId, providerInfo }) => ({ providerId, providerInfo })),
    frameLength: messageHeader.frameLength,
    messageFormatVersion: messageHeader.version,
    headerLength: headerLength + headerAuth.headerAuthLength,
  };
}
