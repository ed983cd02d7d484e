// Only members of the admins group administer. IAM enforces this in AWS (the admins group maps to
// the admin role); the emulator enforces no IAM for Cognito credentials, so the app and the CLI
// check the group in code as well, before any admin call is made.
import { voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import type { SessionClaims } from '../session/context';

export function isAdmin(claims: Pick<SessionClaims, 'groups'>): boolean {
  return claims.groups.includes(voiceVaultConfig.userPool.groups.admins);
}

export function assertAdmin(claims: Pick<SessionClaims, 'groups' | 'username'>): void {
  if (!isAdmin(claims)) {
    throw new VoiceVaultError('AccessDenied', `Only admins may do this, and ${claims.username} is not in the ${voiceVaultConfig.userPool.groups.admins} group.`);
  }
}
