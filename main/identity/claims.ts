// The claims VoiceVault needs from an ID token. The token came straight from Cognito over TLS, so
// reading it is not a trust decision: AWS checks the signature whenever the token is used.
import { voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import type { SessionClaims } from '../session/context';

export function readIdTokenClaims(idToken: string): SessionClaims {
  const payload = idToken.split('.')[1];
  let claims: Record<string, unknown>;
  try {
    if (!payload) throw new Error('no payload');
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new VoiceVaultError('SessionExpired', 'The sign-in token is malformed. Please sign in again.', { cause: error });
  }
  const partition = claims[`custom:${voiceVaultConfig.userPool.partitionAttribute}`];
  return {
    sub: String(claims.sub),
    username: String(claims['cognito:username'] ?? claims.username ?? ''),
    ...(typeof partition === 'string' && partition ? { partition } : {}),
    groups: Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [],
  };
}

/** Epoch milliseconds at which a JWT stops being valid (its `exp`), if it says. */
export function tokenExpiry(jwt: string): number | undefined {
  try {
    const exp = (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
