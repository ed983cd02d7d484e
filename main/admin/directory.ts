// The user pool as admins see it: who exists, which partition each belongs to (custom:partition),
// whether they may sign in, and who is an admin.
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { voiceVaultConfig } from '../../shared/config';
import type { DirectoryUser } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';

export const partitionAttribute = `custom:${voiceVaultConfig.userPool.partitionAttribute}`;
const admins = voiceVaultConfig.userPool.groups.admins;

/** User names an admin may type: what Cognito allows, without whitespace or control characters. */
export const usernamePattern = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

export function checkUsername(username: string): void {
  if (!usernamePattern.test(username)) throw new VoiceVaultError('InvalidArgument', `"${username}" is not a user name (1 to 128 characters, no spaces).`);
}

function userOf(username: string, attributes: AttributeType[] | undefined, fields: { Enabled?: boolean; UserStatus?: string; UserCreateDate?: Date }, isAdmin: boolean): DirectoryUser {
  const attribute = (name: string) => attributes?.find((a) => a.Name === name)?.Value;
  const partition = attribute(partitionAttribute);
  return {
    username,
    sub: attribute('sub') ?? '',
    ...(partition ? { partition } : {}),
    enabled: fields.Enabled ?? true,
    status: fields.UserStatus ?? 'UNKNOWN',
    createdAt: (fields.UserCreateDate ?? new Date(0)).toISOString(),
    isAdmin,
  };
}

/** Every user of the pool, sorted by name. */
export async function listUsers(userPool: CognitoIdentityProviderClient, userPoolId: string): Promise<DirectoryUser[]> {
  try {
    const adminNames = new Set<string>();
    let next: string | undefined;
    do {
      const page = await userPool.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: admins, ...(next ? { NextToken: next } : {}) }));
      for (const user of page.Users ?? []) if (user.Username) adminNames.add(user.Username);
      next = page.NextToken;
    } while (next);
    const users: DirectoryUser[] = [];
    let token: string | undefined;
    do {
      const page = await userPool.send(new ListUsersCommand({ UserPoolId: userPoolId, ...(token ? { PaginationToken: token } : {}) }));
      for (const user of page.Users ?? []) if (user.Username) users.push(userOf(user.Username, user.Attributes, user, adminNames.has(user.Username)));
      token = page.PaginationToken;
    } while (token);
    return users.sort((a, b) => a.username.localeCompare(b.username));
  } catch (error) {
    throw toVoiceVaultError(error, 'list the users');
  }
}

/** One user by name; NotFound in plain words when there is none. */
export async function findUser(userPool: CognitoIdentityProviderClient, userPoolId: string, username: string): Promise<DirectoryUser> {
  checkUsername(username);
  try {
    const user = await userPool.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    const groups = await userPool.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }));
    return userOf(user.Username ?? username, user.UserAttributes, user, (groups.Groups ?? []).some((g) => g.GroupName === admins));
  } catch (error) {
    if ((error as { name?: string }).name === 'UserNotFoundException') throw new VoiceVaultError('UserNotFound', `There is no user named ${username}.`, { cause: error });
    throw toVoiceVaultError(error, `look up ${username}`);
  }
}
