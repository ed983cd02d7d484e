// Contractor identity: user-pool sign-in, then the identity pool trades the ID token for
// short-lived credentials that reach only the contractor's own prefix.
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { appClientAuthFlows, voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { clientConfig } from '../aws/target';
import { toVoiceVaultError } from '../aws/errors';

export interface SessionTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface ContractorClaims {
  sub: string;
  username: string;
  partition?: string;
  groups: string[];
}

export function userPoolProviderName(deployment: Deployment): string {
  return `cognito-idp.${deployment.region}.amazonaws.com/${deployment.userPoolId}`;
}

/** Reads the claims of a token we just received from Cognito over TLS (not a trust decision). */
export function readIdTokenClaims(idToken: string): ContractorClaims {
  const payload = idToken.split('.')[1];
  if (!payload) throw new VoiceVaultError('CredentialsExpired', 'The sign-in token is malformed. Please sign in again.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const partition = claims[`custom:${voiceVaultConfig.userPool.partitionAttribute}`];
  return {
    sub: String(claims.sub),
    username: String(claims['cognito:username'] ?? claims.username ?? ''),
    ...(typeof partition === 'string' ? { partition } : {}),
    groups: Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [],
  };
}

/**
 * Signs in with the user pool. The emulator's client allows USER_PASSWORD_AUTH because moto
 * accepts any SRP proof (shared/config.ts); the real client is SRP only.
 */
export async function signIn(deployment: Deployment, username: string, password: string, now: () => number = Date.now): Promise<SessionTokens> {
  if (!appClientAuthFlows(deployment.target).includes('ALLOW_USER_PASSWORD_AUTH')) {
    throw new VoiceVaultError('InvalidArgument', 'SRP sign-in against a real user pool is not available in this build yet.');
  }
  const client = new CognitoIdentityProviderClient(clientConfig({ ...deploymentTarget(deployment), credentials: anonymous }));
  try {
    const response = await client.send(
      new InitiateAuthCommand({
        ClientId: deployment.userPoolClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    const result = response.AuthenticationResult;
    if (!result?.IdToken || !result.AccessToken) {
      throw new VoiceVaultError('WrongPassword', `Sign-in for ${username} needs a step this app does not support (${response.ChallengeName ?? 'unknown'}).`);
    }
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
      expiresAt: now() + (result.ExpiresIn ?? 3600) * 1000,
    };
  } catch (error) {
    throw toVoiceVaultError(error, `sign in as ${username}`);
  } finally {
    client.destroy();
  }
}

/** Unsigned calls (InitiateAuth, GetId, GetCredentialsForIdentity) must not pick up a local profile. */
const anonymous: AwsCredentialIdentity = { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' };

export interface TemporaryCredentials extends AwsCredentialIdentity {
  sessionToken: string;
  expiration: Date;
}

/** GetId returns a new id per call in moto, and the id is stable in AWS: resolve once, then cache. */
export class ContractorCredentials {
  private identityId: string | undefined;
  private current: TemporaryCredentials | undefined;

  constructor(
    private readonly deployment: Deployment,
    private readonly idToken: () => string,
    private readonly now: () => number = Date.now,
    /** Refresh this long before expiry so an upload never starts with dying credentials. */
    private readonly refreshMarginMs = 30_000,
  ) {}

  async get(): Promise<TemporaryCredentials> {
    if (this.current && this.current.expiration.getTime() - this.refreshMarginMs > this.now()) return this.current;
    this.current = await this.fetch();
    return this.current;
  }

  /** An SDK credential provider that refreshes before expiry. */
  provider(): AwsCredentialIdentityProvider {
    return () => this.get();
  }

  private async fetch(): Promise<TemporaryCredentials> {
    const client = new CognitoIdentityClient(clientConfig({ ...deploymentTarget(this.deployment), credentials: anonymous }));
    const logins = { [userPoolProviderName(this.deployment)]: this.idToken() };
    try {
      if (!this.identityId) {
        const id = await client.send(new GetIdCommand({ IdentityPoolId: this.deployment.identityPoolId, Logins: logins }));
        this.identityId = id.IdentityId;
      }
      const response = await client.send(new GetCredentialsForIdentityCommand({ IdentityId: this.identityId, Logins: logins }));
      const c = response.Credentials;
      if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
        throw new VoiceVaultError('CredentialsExpired', 'The identity pool returned no credentials. Please sign in again.');
      }
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (error) {
      throw toVoiceVaultError(error, 'get upload credentials');
    } finally {
      client.destroy();
    }
  }
}
