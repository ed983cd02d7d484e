// Revoking a contractor: the account is disabled (no new sign-in) and every refresh token is revoked
// (AdminUserGlobalSignOut), so the next token refresh, and with it the next credential refresh, fails.
// Credentials already handed out live until they expire (at most an hour in AWS).
import { AdminDisableUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { RevokeReport } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import { findUser } from './directory';
import { signOutEverywhere } from './membership';

export async function revokeContractor(options: { userPool: CognitoIdentityProviderClient; userPoolId: string; actingAdmin: string }, username: string): Promise<RevokeReport> {
  if (username === options.actingAdmin) throw new VoiceVaultError('InvalidArgument', 'You cannot revoke your own account.');
  const user = await findUser(options.userPool, options.userPoolId, username);
  if (user.isAdmin) throw new VoiceVaultError('InvalidArgument', `${username} is an admin; this command revokes contractors.`);
  try {
    await options.userPool.send(new AdminDisableUserCommand({ UserPoolId: options.userPoolId, Username: username }));
  } catch (error) {
    throw toVoiceVaultError(error, `disable ${username}`);
  }
  await signOutEverywhere(options, username);
  return { username, disabled: true, signedOutEverywhere: true };
}
