// A signed-in contractor: ID and access tokens in memory, refreshed with REFRESH_TOKEN_AUTH before
// the ID token expires; the refresh token only in the secret store; identity-pool credentials built
// from the current ID token. Sign-out revokes the tokens and forgets them.
import {
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { VoiceVaultError } from '../../shared/errors';
import type { ActiveSession, SessionClaims } from '../session/context';
import { readIdTokenClaims } from './claims';
import { ContractorCredentials } from './credentials';
import { cognitoError } from './errors';
import { refreshTokenSecret, type IdentityServices } from './services';

export interface UserPoolTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds by the injected clock (ExpiresIn is relative, so a skewed laptop clock is harmless). */
  expiresAt: number;
}

export function tokensFromResult(result: AuthenticationResultType | undefined, now: () => number): UserPoolTokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw new VoiceVaultError('SessionExpired', 'The user pool returned no tokens. Please sign in again.');
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresAt: now() + (result.ExpiresIn ?? 3600) * 1000,
  };
}

/** Refresh this long before the ID token expires, so no call ever carries a dying token. */
export const tokenRefreshMarginMs = 5 * 60_000;

const signedOut = (): VoiceVaultError => new VoiceVaultError('SessionExpired', 'You are signed out. Please sign in again.');

export class UserPoolSession implements ActiveSession {
  readonly claims: SessionClaims;
  readonly credentials: AwsCredentialIdentityProvider;
  private readonly contractorCredentials: ContractorCredentials;
  private tokens: Omit<UserPoolTokens, 'refreshToken'> | undefined;
  private refreshing: Promise<void> | undefined;

  private constructor(
    private readonly services: IdentityServices,
    tokens: UserPoolTokens,
  ) {
    this.tokens = { idToken: tokens.idToken, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt };
    this.claims = readIdTokenClaims(tokens.idToken);
    this.contractorCredentials = new ContractorCredentials(services.deployment, services.identityPool, (options) => this.idToken(options), services.now);
    this.credentials = this.contractorCredentials.provider();
  }

  /** After a completed sign-in: keeps the refresh token in the secret store, nowhere else. */
  static async start(services: IdentityServices, tokens: UserPoolTokens): Promise<UserPoolSession> {
    if (!tokens.refreshToken) throw new VoiceVaultError('SessionExpired', 'The user pool returned no refresh token. Please sign in again.');
    await services.secretStore.set(refreshTokenSecret, new TextEncoder().encode(tokens.refreshToken));
    return new UserPoolSession(services, tokens);
  }

  /** After a restart: the stored refresh token, if it is still good, signs the contractor back in. */
  static async resume(services: IdentityServices): Promise<UserPoolSession | undefined> {
    try {
      return new UserPoolSession(services, await refreshTokens(services));
    } catch (error) {
      if ((error as VoiceVaultError).code === 'SessionExpired') return undefined;
      throw error;
    }
  }

  /** The current ID token, refreshed first when it is about to expire (or the identity pool refused it). */
  async idToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    return (await this.currentTokens(options.forceRefresh ?? false)).idToken;
  }

  async accessToken(): Promise<string> {
    return (await this.currentTokens(false)).accessToken;
  }

  invalidateCredentials(): void {
    this.contractorCredentials.invalidate();
  }

  /**
   * Forgets every sign-in secret here whatever happens. Plain sign-out also revokes the refresh token
   * (best effort: offline, the token is gone from this machine and the access token dies within the
   * hour). "Everywhere" signs out every device and says so if that could not be done.
   */
  async signOut(everywhere: boolean): Promise<void> {
    let problem: VoiceVaultError | undefined;
    try {
      if (everywhere) {
        await this.services.userPool.send(new GlobalSignOutCommand({ AccessToken: await this.accessToken() }));
      } else {
        const stored = await this.services.secretStore.get(refreshTokenSecret);
        if (stored) {
          await this.services.userPool
            .send(new RevokeTokenCommand({ Token: new TextDecoder().decode(stored), ClientId: this.services.deployment.userPoolClientId }))
            .catch(() => undefined);
        }
      }
    } catch (error) {
      problem = cognitoError(error, 'session', 'sign you out on your other devices');
    } finally {
      this.tokens = undefined;
      this.contractorCredentials.invalidate();
      await this.services.secretStore.delete(refreshTokenSecret);
    }
    if (problem) throw new VoiceVaultError(problem.code, `You are signed out on this device. ${problem.message}`, { cause: problem });
  }

  private async currentTokens(force: boolean): Promise<Omit<UserPoolTokens, 'refreshToken'>> {
    const tokens = this.tokens;
    if (!tokens) throw signedOut();
    if (!force && tokens.expiresAt - tokenRefreshMarginMs > this.services.now()) return tokens;
    // Several callers at once share one refresh.
    this.refreshing ??= refreshTokens(this.services)
      .then((fresh) => {
        if (this.tokens) this.tokens = { idToken: fresh.idToken, accessToken: fresh.accessToken, expiresAt: fresh.expiresAt };
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
    if (!this.tokens) throw signedOut();
    return this.tokens;
  }
}

/** REFRESH_TOKEN_AUTH with the stored refresh token; a refused token is forgotten. */
async function refreshTokens(services: IdentityServices): Promise<UserPoolTokens> {
  const stored = await services.secretStore.get(refreshTokenSecret);
  if (!stored) throw signedOut();
  let tokens: UserPoolTokens;
  try {
    const response = await services.userPool.send(
      new InitiateAuthCommand({
        ClientId: services.deployment.userPoolClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: new TextDecoder().decode(stored) },
      }),
    );
    tokens = tokensFromResult(response.AuthenticationResult, services.now);
  } catch (error) {
    const mapped = cognitoError(error, 'session', 'renew your session');
    if (mapped.code === 'SessionExpired') await services.secretStore.delete(refreshTokenSecret);
    throw mapped;
  }
  // With refresh-token rotation on, Cognito hands out a new one; the old one stops working.
  if (tokens.refreshToken) await services.secretStore.set(refreshTokenSecret, new TextEncoder().encode(tokens.refreshToken));
  return tokens;
}
