// The identity pool trades a fresh ID token for short-lived AWS credentials that reach only the
// contractor's own prefix. They live in memory only and are fetched again before they expire, or
// at once when S3 or KMS say they have (invalidate()).
import { GetCredentialsForIdentityCommand, GetIdCommand, type CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { VoiceVaultError } from '../../shared/errors';
import type { Deployment } from '../aws/deployment';
import { cognitoError } from './errors';

export interface TemporaryCredentials extends AwsCredentialIdentity {
  sessionToken: string;
  expiration: Date;
}

/** Hands out a current ID token; `forceRefresh` when the identity pool refused the last one. */
export type IdTokenSource = (options?: { forceRefresh?: boolean }) => string | Promise<string>;

export function userPoolProviderName(deployment: Deployment): string {
  return `cognito-idp.${deployment.region}.amazonaws.com/${deployment.userPoolId}`;
}

function isNotAuthorized(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'NotAuthorizedException';
}

export class ContractorCredentials {
  /** GetId returns a new id per call in moto; in AWS the id is stable. Resolve once, then reuse. */
  private identityId: string | undefined;
  private current: TemporaryCredentials | undefined;
  private pending: Promise<TemporaryCredentials> | undefined;

  constructor(
    private readonly deployment: Deployment,
    private readonly identityPool: CognitoIdentityClient,
    private readonly idToken: IdTokenSource,
    private readonly now: () => number = Date.now,
    /** Refresh this long before expiry so an upload never starts with dying credentials. */
    private readonly refreshMarginMs = 60_000,
  ) {}

  async get(): Promise<TemporaryCredentials> {
    if (this.current && this.current.expiration.getTime() - this.refreshMarginMs > this.now()) return this.current;
    // Concurrent uploads share one fetch.
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    this.current = await this.pending;
    return this.current;
  }

  /** For when AWS answers ExpiredToken: the next get() fetches new credentials. */
  invalidate(): void {
    this.current = undefined;
  }

  /** An SDK credential provider that refreshes before expiry. */
  provider(): AwsCredentialIdentityProvider {
    return () => this.get();
  }

  private async fetch(): Promise<TemporaryCredentials> {
    try {
      return await this.exchange(await this.idToken());
    } catch (error) {
      if (!isNotAuthorized(error)) throw cognitoError(error, 'session', 'get upload credentials');
    }
    // The pool refused the token (expired early, clock skew): one more try with a freshly refreshed one.
    try {
      return await this.exchange(await this.idToken({ forceRefresh: true }));
    } catch (error) {
      throw cognitoError(error, 'session', 'get upload credentials');
    }
  }

  private async exchange(idToken: string): Promise<TemporaryCredentials> {
    const logins = { [userPoolProviderName(this.deployment)]: idToken };
    if (!this.identityId) {
      const id = await this.identityPool.send(new GetIdCommand({ IdentityPoolId: this.deployment.identityPoolId, Logins: logins }));
      this.identityId = id.IdentityId;
    }
    const response = await this.identityPool.send(new GetCredentialsForIdentityCommand({ IdentityId: this.identityId, Logins: logins }));
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretKey || !c.SessionToken || !c.Expiration) {
      throw new VoiceVaultError('SessionExpired', 'The identity pool returned no credentials. Please sign in again.');
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}
