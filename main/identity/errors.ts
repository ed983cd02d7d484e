// Cognito answers with the same few exception names in very different situations: a
// NotAuthorizedException is a wrong password while signing in, but an expired or revoked session
// everywhere else. The step decides what the contractor is told.
import { voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';

export type CognitoStep =
  /** InitiateAuth with a password (SRP or USER_PASSWORD_AUTH). */
  | 'password'
  /** RespondToAuthChallenge / VerifySoftwareToken while signing in. */
  | 'challenge'
  | 'forgot-password'
  | 'confirm-forgot-password'
  /** REFRESH_TOKEN_AUTH, the identity pool, GlobalSignOut: anything holding a token. */
  | 'session';

const policy = voiceVaultConfig.userPool.passwordPolicy;
export const passwordPolicyWords = `at least ${policy.minimumLength} characters with upper and lower case letters, a digit and a symbol`;

interface CognitoErrorShape {
  name?: string;
  message?: string;
}

export function cognitoError(error: unknown, step: CognitoStep, doing: string): VoiceVaultError {
  if (isVoiceVaultError(error)) return error;
  const { name = '', message = '' } = (error ?? {}) as CognitoErrorShape;
  const cause = { cause: error };
  const fail = (code: ConstructorParameters<typeof VoiceVaultError>[0], words: string): VoiceVaultError =>
    new VoiceVaultError(code, `Could not ${doing}: ${words}`, cause);

  switch (name) {
    case 'NotAuthorizedException':
      if (/disabled/i.test(message)) return fail('UserDisabled', 'your account is disabled. Please ask your admin.');
      if (/attempts exceeded/i.test(message)) return fail('TooManyAttempts', 'too many failed attempts. Please wait a few minutes and try again.');
      if (step === 'password') return fail('WrongPassword', 'the user name or password is wrong.');
      if (step === 'forgot-password' || step === 'confirm-forgot-password') return fail('AccessDenied', 'your password can only be reset by your admin.');
      if (step === 'challenge') return fail('SessionExpired', 'this sign-in took too long. Please start again.');
      return fail('SessionExpired', 'your session has ended. Please sign in again.');
    case 'UserNotFoundException':
      // Saying "no such user" at the password prompt would tell anyone which accounts exist.
      if (step === 'password') return fail('WrongPassword', 'the user name or password is wrong.');
      return fail('UserNotFound', 'there is no such user.');
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      return fail('WrongCode', step === 'confirm-forgot-password' ? 'that code is not right. Check the code we sent you and try again.' : 'that code is not right. Check your authenticator app and try again.');
    case 'ExpiredCodeException':
      return fail('WrongCode', step === 'confirm-forgot-password' ? 'that code is wrong or has expired. Ask for a new one.' : 'that code has expired. Please try again with a new one.');
    case 'InvalidPasswordException':
      return fail('PasswordRejected', `the new password is not allowed (${message.replace(/\.$/, '') || 'it does not meet the policy'}). Use ${passwordPolicyWords}.`);
    case 'PasswordResetRequiredException':
      return fail('WrongPassword', 'your admin has reset your password. Use "Forgot password" to choose a new one.');
    case 'UserNotConfirmedException':
      return fail('AccessDenied', 'your account is not confirmed yet. Please ask your admin.');
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
    case 'LimitExceededException':
      return fail('TooManyAttempts', 'too many attempts. Please wait a few minutes and try again.');
    case 'ResourceNotFoundException':
      // moto answers an unknown or used-up sign-in session this way.
      if (step === 'challenge') return fail('SessionExpired', 'this sign-in took too long. Please start again.');
      break;
    default:
      break;
  }
  return toVoiceVaultError(error, doing);
}
