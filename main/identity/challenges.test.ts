// The sign-in challenges against a user pool with MFA required (the real stack's setting), with real
// TOTP codes: moto checks them against its fixed secret when MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP
// is on (main/emulator/moto-server.ts turns it on).
import { AdminCreateUserCommand, CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP, URI } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { MemorySecretStore } from '../secrets';
import { UserPoolSignIn, confirmForgotPassword, createIdentityServices, forgotPassword, readIdTokenClaims, type IdentityServices, type SignInProgress } from './index';

const emulator = useTestEmulator();
const temporaryPassword = 'Temporary-Pass-123!';
const chosenPassword = 'Chosen-by-Lin-456?';

beforeAll(async () => {
  const { adminTarget, deployment } = emulator();
  const admin = new CognitoIdentityProviderClient(clientConfig(adminTarget));
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: deployment.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  // As an admin creates a contractor: a temporary password to be changed at first sign-in.
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: deployment.userPoolId,
      Username: 'lin',
      TemporaryPassword: temporaryPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'lin@voicevault.local' },
        { Name: 'custom:partition', Value: 'demo' },
      ],
    }),
  );
  admin.destroy();
});

function services(): IdentityServices {
  return createIdentityServices({ deployment: emulator().deployment, secretStore: new MemorySecretStore() });
}

function totp(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The code of the current 30-second step, waiting out the last seconds of a step so it cannot expire in flight. */
async function currentCode(secret: string): Promise<string> {
  const into = Date.now() % 30_000;
  if (into > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 250));
  return totp(secret).generate();
}

/** A well-formed code that is valid in none of the neighbouring steps. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-1, 0, 1].map((k) => totp(secret).generate({ timestamp: now + k * 30_000 })));
  for (let k = 10; ; k += 1) {
    const code = totp(secret).generate({ timestamp: now - k * 30_000 });
    if (!valid.has(code)) return code;
  }
}

function expectStep<S extends SignInProgress['step']>(progress: SignInProgress, step: S): Extract<SignInProgress, { step: S }> {
  expect(progress.step).toBe(step);
  return progress as Extract<SignInProgress, { step: S }>;
}

describe('the first sign-in of an admin-created contractor (MFA required)', () => {
  let secret = '';

  it('asks for a new password, refuses a weak one, then enrols an authenticator app with a real code', async () => {
    const signIn = new UserPoolSignIn(services());
    expectStep(await signIn.start('lin', temporaryPassword, 'USER_SRP_AUTH'), 'newPasswordRequired');

    await expect(signIn.completeNewPassword('short')).rejects.toMatchObject({ code: 'PasswordRejected', message: expect.stringContaining('at least 14 characters') });
    const setup = expectStep(await signIn.completeNewPassword(chosenPassword), 'mfaSetup'); // the same challenge, tried again

    // The URI an authenticator app scans carries the same secret, for lin, as a six-digit SHA-1 TOTP.
    const scanned = URI.parse(setup.otpauthUri);
    expect(scanned).toBeInstanceOf(TOTP);
    expect(scanned.label).toBe('lin');
    expect(scanned.issuer).toContain('VoiceVault');
    expect((scanned as TOTP).digits).toBe(6);
    expect(Buffer.from(scanned.secret.bytes)).toEqual(Buffer.from(Secret.fromBase32(setup.secret).bytes));
    secret = setup.secret;

    await expect(signIn.verifyMfaSetup(wrongCode(secret))).rejects.toMatchObject({ code: 'WrongCode', message: expect.stringContaining('authenticator app') });
    const done = expectStep(await signIn.verifyMfaSetup(await currentCode(secret)), 'tokens');
    expect(readIdTokenClaims(done.tokens.idToken)).toMatchObject({ username: 'lin', partition: 'demo' });
  });

  it('asks for a code at every later sign-in, SRP or not, and refuses a wrong one', async () => {
    expect(secret).not.toBe('');
    for (const flow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const) {
      const signIn = new UserPoolSignIn(services());
      expectStep(await signIn.start('lin', chosenPassword, flow), 'mfaCode');
      await expect(signIn.submitMfaCode(wrongCode(secret))).rejects.toMatchObject({ code: 'WrongCode' });
      const done = expectStep(await signIn.submitMfaCode(await currentCode(secret)), 'tokens'); // the same challenge, tried again
      expect(readIdTokenClaims(done.tokens.idToken).username).toBe('lin');
    }
  });

  it('keeps the steps in order and says which answer it is waiting for', async () => {
    const signIn = new UserPoolSignIn(services());
    await expect(signIn.submitMfaCode('123456')).rejects.toMatchObject({ code: 'SessionExpired', message: expect.stringContaining('start again') });
    expectStep(await signIn.start('lin', chosenPassword, 'USER_PASSWORD_AUTH'), 'mfaCode');
    await expect(signIn.completeNewPassword(chosenPassword)).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringContaining('authenticator app') });
  });
});

describe('forgot password', () => {
  it('sends a code to the recovery address, refuses a wrong code and sets the new password with the right one', async () => {
    const identity = services();
    // moto puts the code it would have emailed into a response header: read it off the wire.
    let mailed: string | undefined;
    identity.userPool.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
        mailed = headers['x-moto-forgot-password-confirmation-code'] ?? mailed;
        return result;
      },
      { step: 'deserialize', name: 'readMailedCode' },
    );
    const { deployment } = emulator();
    const ada = deployment.demoUsers.find((u) => u.username === 'ada')!;

    expect(await forgotPassword(identity, 'ada')).toEqual({ destination: 'a***@v***' });
    expect(mailed).toMatch(/^moto-confirmation-code:\d{6}$/);
    const newPassword = 'Brand-new-Password-789!';
    await expect(confirmForgotPassword(identity, 'ada', 'moto-confirmation-code:000000', newPassword)).rejects.toMatchObject({ code: 'WrongCode' });
    await confirmForgotPassword(identity, 'ada', mailed!, newPassword);

    const signIn = new UserPoolSignIn(identity);
    await expect(signIn.start('ada', ada.password, 'USER_PASSWORD_AUTH')).rejects.toMatchObject({ code: 'WrongPassword' });
    expectStep(await signIn.start('ada', newPassword, 'USER_PASSWORD_AUTH'), 'tokens');
  });
});
