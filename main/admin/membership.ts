// Who belongs to which partition: the custom:partition attribute, written only by admins (the app
// client cannot write it). It reaches a contractor's credentials as the `partition` principal tag at
// their next sign-in; a move or removal also signs them out everywhere, so no device keeps writing
// under the old partition with tokens issued before the change.
import { AdminDeleteUserAttributesCommand, AdminUpdateUserAttributesCommand, AdminUserGlobalSignOutCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { MembershipChange } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';
import { findUser, partitionAttribute } from './directory';

export interface MembershipOptions {
  userPool: CognitoIdentityProviderClient;
  userPoolId: string;
}

export async function assignPartition(options: MembershipOptions, username: string, partition: string): Promise<MembershipChange> {
  const user = await findUser(options.userPool, options.userPoolId, username);
  if (user.isAdmin) throw new VoiceVaultError('InvalidArgument', `${username} is an admin; admins do not record, so they belong to no partition.`);
  if (user.partition === partition) return { username, partition, previous: partition, signedOutEverywhere: false };
  try {
    await options.userPool.send(new AdminUpdateUserAttributesCommand({ UserPoolId: options.userPoolId, Username: username, UserAttributes: [{ Name: partitionAttribute, Value: partition }] }));
  } catch (error) {
    throw toVoiceVaultError(error, `assign ${username} to partition ${partition}`);
  }
  const moved = user.partition !== undefined;
  if (moved) await signOutEverywhere(options, username);
  return { username, partition, ...(user.partition ? { previous: user.partition } : {}), signedOutEverywhere: moved };
}

export async function unassignPartition(options: MembershipOptions, username: string): Promise<MembershipChange> {
  const user = await findUser(options.userPool, options.userPoolId, username);
  if (!user.partition) return { username, signedOutEverywhere: false };
  try {
    await options.userPool.send(new AdminDeleteUserAttributesCommand({ UserPoolId: options.userPoolId, Username: username, UserAttributeNames: [partitionAttribute] }));
  } catch (error) {
    throw toVoiceVaultError(error, `remove ${username} from partition ${user.partition}`);
  }
  await signOutEverywhere(options, username);
  return { username, previous: user.partition, signedOutEverywhere: true };
}

export async function signOutEverywhere(options: MembershipOptions, username: string): Promise<void> {
  try {
    await options.userPool.send(new AdminUserGlobalSignOutCommand({ UserPoolId: options.userPoolId, Username: username }));
  } catch (error) {
    throw toVoiceVaultError(error, `sign ${username} out everywhere`);
  }
}
