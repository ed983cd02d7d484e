// Secure Remote Password sign-in (USER_SRP_AUTH → PASSWORD_VERIFIER): the password never leaves the
// laptop, only a proof that we know it. The arithmetic is cognito-srp-helper's (Apache-2.0); srp.test.ts
// checks it against AWS's own amazon-cognito-identity-js and a from-the-formulas computation.
import { createSrpSession, signSrpSession } from 'cognito-srp-helper';
import { VoiceVaultError } from '../../shared/errors';

export type SrpSession = ReturnType<typeof createSrpSession>;

/** RFC 5054's 3072-bit prime, Cognito's SRP group (generator 2). */
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);

/** SRP's safety check: with B ≡ 0 (mod N) the shared secret would be 0, whatever the password. */
function isUsableServerValue(hex: string | undefined): boolean {
  if (!hex || !/^[0-9a-f]+$/i.test(hex)) return false;
  return BigInt(`0x${hex}`) % N !== 0n;
}

/** Starts an exchange: a fresh random `a`, its public value A, and the timestamp the proof will carry. */
export function beginSrp(username: string, password: string, userPoolId: string): SrpSession {
  // isHashed false: the password is hashed with USER_ID_FOR_SRP from the challenge, as Cognito does.
  return createSrpSession(username, password, userPoolId, false);
}

/** SRP_A for InitiateAuth's AuthParameters. */
export function srpA(session: SrpSession): string {
  return session.largeA;
}

/**
 * The PASSWORD_VERIFIER answer: the HMAC, under the key both sides derive from S and u, of pool
 * name, USER_ID_FOR_SRP, the server's secret block and the timestamp.
 */
export function passwordVerifierResponses(session: SrpSession, challengeParameters: Record<string, string> | undefined): Record<string, string> {
  const parameters = challengeParameters ?? {};
  if (!isUsableServerValue(parameters.SRP_B)) {
    throw new VoiceVaultError('Internal', 'The user pool sent a sign-in challenge VoiceVault cannot answer safely. Please try again.');
  }
  let signed: ReturnType<typeof signSrpSession>;
  try {
    signed = signSrpSession(session, { ChallengeParameters: parameters });
  } catch (error) {
    // Missing or zero SALT, SRP_B or SECRET_BLOCK: the answer would prove nothing, so none is sent.
    throw new VoiceVaultError('Internal', 'The user pool sent a sign-in challenge VoiceVault cannot answer safely. Please try again.', { cause: error });
  }
  return {
    // Cognito's USERNAME here is the user's real user name (an alias may have been typed).
    USERNAME: parameters.USERNAME ?? parameters.USER_ID_FOR_SRP ?? session.username,
    PASSWORD_CLAIM_SECRET_BLOCK: signed.secret,
    PASSWORD_CLAIM_SIGNATURE: signed.passwordSignature,
    TIMESTAMP: signed.timestamp,
  };
}
