// Public surface of the sealing stage (main/crypto).
//
// Every object VoiceVault uploads is one AWS Encryption SDK message:
// - commitment policy REQUIRE_ENCRYPT_REQUIRE_DECRYPT, the signing suite 0x0578, 1 MiB frames;
// - one data key, from the envelope KMS key named by its ARN (never an alias), the keyring's only key;
// - encryption context = the SealContext: { app: 'voicevault', kind, partition, contractor, sample }
//   plus preset (features only), consent and policy where they apply. The SDK adds aws-crypto-public-key.
//
//   objectKeyFor(context)            raw/<p>/<c>/<s>.sealed, features/<p>/<c>/<s>.<preset>.sealed,
//                                    manifests/<p>/<c>/<s>.sealed, requests/<p>/<c>/<s>.sealed
//   contextFromObjectKey(key)        the reverse; anything else is refused (InvalidArgument)
//   createSealer({ kms, envelopeKeyArn, deviceKeys?, frameLength? })
//     .seal(plaintext, context)      → SealedObject { ciphertext, sha256 (base64), sealedWith, context, key }
//                                      KMS unreachable (network, 5xx): sealed under the device key kept in
//                                      `deviceKeys` (sealedWith 'device'); without a store: KmsUnavailable
//     .reseal(deviceSealed, context) → the same object sealed under KMS (KmsUnavailable while still offline)
//     .openDeviceSealed(deviceSealed, context) → its plaintext (context checked), for rewriting a manifest
//   createOpener({ kms, envelopeKeyArn })
//     .open(ciphertext, objectKey, extra?) → { plaintext, context }; strict keyring, one data key,
//                                      context checked against the key: ContextMismatch / IntegrityError
//   readSealedHeader(ciphertext)     suite, encryption context, data keys, frame length (no decryption)
//
// `kms` is the aggregated KMS client from @aws-sdk/client-kms (new KMS(clientConfig(target))).
// The caller owns the plaintext it passes in and zeroes it; reseal zeroes the plaintext it decrypts.
export {
  objectKeyFor,
  contextFromObjectKey,
  encryptionContextOf,
  sealKinds,
  sdkPublicKeyContextKey,
  type SealKind,
  type SealContext,
  type KeyContext,
  type ExtraExpectedContext,
} from './context';
export { createSealer, sha256Base64, type Sealer, type SealerOptions, type SealedObject } from './sealer';
export { createOpener, type Opener, type OpenerOptions, type OpenedObject } from './opener';
export { readSealedHeader, type SealedHeader } from './header';
export { signingSuiteId, defaultFrameLength, checkEnvelopeKeyArn } from './sdk';
export { deviceKeyNamespace, deviceKeySecretName } from './device-key';
