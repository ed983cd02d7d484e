// Cognito's exceptions, as the SDK raises them (name + message), told to the contractor by step.
import { describe, expect, it } from 'vitest';
import { toVoiceVaultError } from '../aws/errors';
import { cognitoError, type CognitoStep } from './errors';

const cognito = (name: string, message = ''): Error => Object.assign(new Error(message), { name });

describe('what the contractor is told', () => {
  it.each<[CognitoStep, string]>([
    ['password', 'WrongPassword'],
    ['challenge', 'SessionExpired'],
    ['session', 'SessionExpired'],
    ['forgot-password', 'AccessDenied'],
  ])('NotAuthorizedException while %s is %s', (step, code) => {
    expect(cognitoError(cognito('NotAuthorizedException', 'Incorrect username or password.'), step, 'do it').code).toBe(code);
  });

  it('says a disabled account is disabled and too many attempts are too many, at any step', () => {
    for (const step of ['password', 'session'] as const) {
      expect(cognitoError(cognito('NotAuthorizedException', 'User is disabled.'), step, 'sign in')).toMatchObject({ code: 'UserDisabled', message: expect.stringContaining('disabled') });
      expect(cognitoError(cognito('NotAuthorizedException', 'Password attempts exceeded'), step, 'sign in').code).toBe('TooManyAttempts');
    }
    expect(cognitoError(cognito('LimitExceededException', 'Attempt limit exceeded, please try after some time.'), 'confirm-forgot-password', 'reset').code).toBe('TooManyAttempts');
  });

  it('does not reveal at the password prompt whether a user exists', () => {
    expect(cognitoError(cognito('UserNotFoundException', 'User does not exist.'), 'password', 'sign in as x')).toMatchObject({ code: 'WrongPassword', message: 'Could not sign in as x: the user name or password is wrong.' });
  });

  it('calls wrong and expired codes wrong codes, and a refused new password a refused password with the policy', () => {
    expect(cognitoError(cognito('CodeMismatchException', 'Invalid code received for user'), 'challenge', 'check your code').code).toBe('WrongCode');
    expect(cognitoError(cognito('EnableSoftwareTokenMFAException', 'Code mismatch'), 'challenge', 'set up').code).toBe('WrongCode');
    expect(cognitoError(cognito('ExpiredCodeException', 'Invalid code provided, please request a code again.'), 'confirm-forgot-password', 'reset').message).toContain('Ask for a new one');
    expect(cognitoError(cognito('InvalidPasswordException', 'Password does not conform to policy: Password not long enough'), 'challenge', 'set your new password')).toMatchObject({
      code: 'PasswordRejected',
      message: 'Could not set your new password: the new password is not allowed (Password does not conform to policy: Password not long enough). Use at least 14 characters with upper and lower case letters, a digit and a symbol.',
    });
  });

  it('outside sign-in, the generic AWS mapping no longer calls NotAuthorized a wrong password', () => {
    expect(toVoiceVaultError(cognito('NotAuthorizedException', 'Invalid login token. Token expired'), 'get upload credentials')).toMatchObject({
      code: 'SessionExpired',
      message: 'Could not get upload credentials: your session has ended. Please sign in again.',
    });
  });
});
