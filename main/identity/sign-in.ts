// Signing in with the user pool, one step at a time: the password (SRP), then whatever Cognito asks
// for next (a new password for an admin-created user, TOTP enrolment, a TOTP code). Each step says
// what to ask the contractor; the app and the CLI prompt for it and call the matching method.
import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type AuthFlowType,
  type ChallengeNameType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { appClientAuthFlows } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { cognitoError, type CognitoStep } from './errors';
import type { IdentityServices } from './services';
import { tokensFromResult, type UserPoolTokens } from './session';
import { beginSrp, passwordVerifierResponses, srpA } from './srp';
import { otpauthUri, totpIssuer } from './totp';

export type PasswordFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

export type SignInProgress =
  | { step: 'tokens'; tokens: UserPoolTokens }
  | { step: 'newPasswordRequired' }
  | { step: 'mfaSetup'; otpauthUri: string; secret: string }
  | { step: 'mfaCode' };

interface PendingChallenge {
  name: 'NEW_PASSWORD_REQUIRED' | 'MFA_SETUP' | 'SOFTWARE_TOKEN_MFA';
  session: string;
  /** The user pool's own name for the user (it answers every challenge). */
  username: string;
}

const expected: Record<PendingChallenge['name'], string> = {
  NEW_PASSWORD_REQUIRED: 'a new password',
  MFA_SETUP: 'the first code from your authenticator app',
  SOFTWARE_TOKEN_MFA: 'a code from your authenticator app',
};

/**
 * SRP unless the deployment's app client also allows USER_PASSWORD_AUTH (only the emulator's does:
 * moto accepts any SRP proof, so wrong passwords are only caught this way). Never a fallback.
 */
export function defaultPasswordFlow(services: IdentityServices): PasswordFlow {
  return appClientAuthFlows(services.deployment.target).includes('ALLOW_USER_PASSWORD_AUTH') ? 'USER_PASSWORD_AUTH' : 'USER_SRP_AUTH';
}

export class UserPoolSignIn {
  private pending: PendingChallenge | undefined;

  constructor(private readonly services: IdentityServices) {}

  async start(username: string, password: string, flow: PasswordFlow = defaultPasswordFlow(this.services)): Promise<SignInProgress> {
    this.pending = undefined;
    if (flow === 'USER_PASSWORD_AUTH' && !appClientAuthFlows(this.services.deployment.target).includes('ALLOW_USER_PASSWORD_AUTH')) {
      throw new VoiceVaultError('InvalidArgument', 'This deployment signs in with SRP only; the password is never sent.');
    }
    const doing = `sign in as ${username}`;
    const { userPool, deployment } = this.services;
    if (flow === 'USER_PASSWORD_AUTH') {
      const response = await this.call('password', doing, () =>
        userPool.send(new InitiateAuthCommand({ ClientId: deployment.userPoolClientId, AuthFlow: flow, AuthParameters: { USERNAME: username, PASSWORD: password } })),
      );
      return this.progress(response, username, doing);
    }
    const srp = beginSrp(username, password, deployment.userPoolId);
    const challenge = await this.call('password', doing, () =>
      userPool.send(new InitiateAuthCommand({ ClientId: deployment.userPoolClientId, AuthFlow: 'USER_SRP_AUTH' as AuthFlowType, AuthParameters: { USERNAME: username, SRP_A: srpA(srp) } })),
    );
    if (challenge.ChallengeName !== 'PASSWORD_VERIFIER' || !challenge.ChallengeParameters) {
      throw new VoiceVaultError('Internal', `Could not ${doing}: the user pool did not start the SRP exchange (${challenge.ChallengeName ?? 'no challenge'}).`);
    }
    const responses = passwordVerifierResponses(srp, challenge.ChallengeParameters);
    const verified = await this.call('password', doing, () =>
      userPool.send(
        new RespondToAuthChallengeCommand({
          ClientId: deployment.userPoolClientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: responses,
          ...(challenge.Session ? { Session: challenge.Session } : {}),
        }),
      ),
    );
    return this.progress(verified, responses.USERNAME ?? username, doing);
  }

  /** NEW_PASSWORD_REQUIRED: the first sign-in of a user an admin created. */
  async completeNewPassword(newPassword: string): Promise<SignInProgress> {
    const pending = this.expect('NEW_PASSWORD_REQUIRED');
    return this.respond(pending, 'set your new password', { NEW_PASSWORD: newPassword });
  }

  /** MFA_SETUP, second half: the first code proves the authenticator app holds the secret. */
  async verifyMfaSetup(code: string): Promise<SignInProgress> {
    const pending = this.expect('MFA_SETUP');
    const doing = 'set up your authenticator app';
    const verified = await this.call('challenge', doing, () =>
      this.services.userPool.send(new VerifySoftwareTokenCommand({ Session: pending.session, UserCode: code, FriendlyDeviceName: totpIssuer })),
    );
    if (verified.Status !== 'SUCCESS' || !verified.Session) {
      throw new VoiceVaultError('WrongCode', `Could not ${doing}: that code is not right. Check your authenticator app and try again.`);
    }
    return this.respond({ ...pending, session: verified.Session }, doing, {});
  }

  /** SOFTWARE_TOKEN_MFA: the six-digit code of an enrolled authenticator app. */
  async submitMfaCode(code: string): Promise<SignInProgress> {
    const pending = this.expect('SOFTWARE_TOKEN_MFA');
    return this.respond(pending, 'check your code', { SOFTWARE_TOKEN_MFA_CODE: code });
  }

  private expect(name: PendingChallenge['name']): PendingChallenge {
    const pending = this.pending;
    if (!pending) throw new VoiceVaultError('SessionExpired', 'No sign-in is in progress. Please start again.');
    if (pending.name !== name) throw new VoiceVaultError('InvalidArgument', `The sign-in is waiting for ${expected[pending.name]}, not ${expected[name]}.`);
    return pending;
  }

  private async respond(pending: PendingChallenge, doing: string, answers: Record<string, string>): Promise<SignInProgress> {
    const response = await this.call('challenge', doing, () =>
      this.services.userPool.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.services.deployment.userPoolClientId,
          ChallengeName: pending.name as ChallengeNameType,
          ChallengeResponses: { USERNAME: pending.username, ...answers },
          Session: pending.session,
        }),
      ),
    );
    return this.progress(response, pending.username, doing);
  }

  /** Turns Cognito's answer into the next step; a wrong code keeps the challenge open for another try. */
  private async progress(response: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'ChallengeParameters' | 'Session'>, username: string, doing: string): Promise<SignInProgress> {
    if (response.AuthenticationResult) {
      this.pending = undefined;
      return { step: 'tokens', tokens: tokensFromResult(response.AuthenticationResult, this.services.now) };
    }
    const name = response.ChallengeName;
    const session = response.Session;
    const challengeUser = response.ChallengeParameters?.USERNAME ?? username;
    if (!session || (name !== 'NEW_PASSWORD_REQUIRED' && name !== 'MFA_SETUP' && name !== 'SOFTWARE_TOKEN_MFA')) {
      this.pending = undefined;
      throw new VoiceVaultError(
        'AccessDenied',
        `Could not ${doing}: your account asks for a sign-in step VoiceVault does not support (${name ?? 'none'}). Please ask your admin to use an authenticator app.`,
      );
    }
    this.pending = { name, session, username: challengeUser };
    if (name === 'NEW_PASSWORD_REQUIRED') return { step: 'newPasswordRequired' };
    if (name === 'SOFTWARE_TOKEN_MFA') return { step: 'mfaCode' };
    return this.associateSoftwareToken(this.pending);
  }

  /** MFA_SETUP, first half: Cognito makes a TOTP secret for the user, shown as an otpauth:// URI. */
  private async associateSoftwareToken(pending: PendingChallenge): Promise<SignInProgress> {
    const doing = 'set up your authenticator app';
    const associated = await this.call('challenge', doing, () => this.services.userPool.send(new AssociateSoftwareTokenCommand({ Session: pending.session })));
    if (!associated.SecretCode) throw new VoiceVaultError('Internal', `Could not ${doing}: the user pool returned no secret.`);
    if (associated.Session) pending.session = associated.Session;
    const secret = associated.SecretCode.toUpperCase();
    const issuer = this.services.deployment.target === 'emulator' ? `${totpIssuer} (local emulator)` : totpIssuer;
    return { step: 'mfaSetup', secret, otpauthUri: otpauthUri(secret, pending.username, issuer) };
  }

  private async call<T>(step: CognitoStep, doing: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const mapped = cognitoError(error, step, doing);
      // A wrong code or a rejected new password may be tried again; anything else starts over.
      if (mapped.code !== 'WrongCode' && mapped.code !== 'PasswordRejected') this.pending = undefined;
      throw mapped;
    }
  }
}
