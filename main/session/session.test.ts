import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPartition } from '../../shared/partition';
import { clientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { MemorySecretStore } from '../secrets';
import { SessionContext } from './context';
import { dispatchIpc } from './dispatch';
import { createSessionHandlers, type SessionHandlerOptions } from './index';

const emulator = useTestEmulator();
let admin: CognitoIdentityProviderClient;

beforeAll(() => {
  admin = new CognitoIdentityProviderClient(clientConfig(emulator().adminTarget));
});
afterAll(() => admin.destroy());

async function app(options: { secretStore?: MemorySecretStore; now?: () => number } & SessionHandlerOptions = {}) {
  const secretStore = options.secretStore ?? new MemorySecretStore();
  const context = new SessionContext({
    deployment: emulator().deployment,
    appVersion: '0.0.0-test',
    secretStore,
    dataDir: await mkdtemp(join(tmpdir(), 'vv-session-')),
    ...(options.now ? { now: options.now } : {}),
  });
  const handlers = createSessionHandlers(context, options);
  return { secretStore, context, call: (method: string, payload?: unknown) => dispatchIpc(handlers, method, payload), handlers };
}

function passwordOf(username: string): string {
  const user = emulator().deployment.demoUsers.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user.password;
}

async function createUser(username: string, temporaryPassword: string, partition?: string): Promise<void> {
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: emulator().deployment.userPoolId,
      Username: username,
      TemporaryPassword: temporaryPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@voicevault.local` }, ...(partition ? [{ Name: 'custom:partition', Value: partition }] : [])],
    }),
  );
}

const adaSignedIn = { type: 'success', value: { step: 'signedIn', session: { username: 'ada', partition: 'demo', isAdmin: false } } };

describe('the sign-in handlers behind the IPC contract', () => {
  it('say unmistakably that the app talks to the local emulator', async () => {
    const { call } = await app();
    expect(await call('getAppInfo')).toEqual({
      type: 'success',
      value: { version: '0.0.0-test', target: 'emulator', region: emulator().deployment.region, environmentLabel: 'Local emulator' },
    });
  });

  it('sign a contractor in and load her partition with her own credentials', async () => {
    const { call } = await app();
    expect(await call('signIn', { username: 'ada', password: passwordOf('ada') })).toEqual(adaSignedIn);
    expect(await call('getSession')).toEqual({ type: 'success', value: { username: 'ada', partition: 'demo', isAdmin: false } });
    expect(await call('getPartition')).toEqual({ type: 'success', value: demoPartition });
  });

  it('sign in with SRP when told to (the real stack allows nothing else)', async () => {
    const { call } = await app({ passwordFlow: 'USER_SRP_AUTH' });
    expect(await call('signIn', { username: 'ada', password: passwordOf('ada') })).toEqual(adaSignedIn);
  });

  it('say a wrong password is wrong in plain words, and nothing is signed in', async () => {
    const { call } = await app();
    expect(await call('signIn', { username: 'ada', password: 'Not-her-password-1!' })).toEqual({
      type: 'error',
      code: 'WrongPassword',
      message: 'Could not sign in as ada: the user name or password is wrong.',
    });
    expect(await call('getSession')).toEqual({ type: 'success', value: null });
  });

  it('refuse a partition read before sign-in, in plain words', async () => {
    const { call } = await app();
    expect(await call('getPartition')).toMatchObject({ type: 'error', code: 'SessionExpired', message: expect.stringContaining('sign in') });
  });

  it('walk an admin-created contractor through choosing a password', async () => {
    await createUser('mira', 'Temporary-Pass-123!', 'demo');
    const { call } = await app();
    expect(await call('signIn', { username: 'mira', password: 'Temporary-Pass-123!' })).toEqual({ type: 'success', value: { step: 'newPasswordRequired' } });
    expect(await call('completeNewPassword', { newPassword: 'weak' })).toMatchObject({ type: 'error', code: 'PasswordRejected' });
    expect(await call('completeNewPassword', { newPassword: 'Mira-chose-this-1!' })).toEqual({
      type: 'success',
      value: { step: 'signedIn', session: { username: 'mira', partition: 'demo', isAdmin: false } },
    });
  });

  it('refuse a contractor who has no partition yet, and keep no session for them', async () => {
    await createUser('nopart', 'Temporary-Pass-123!');
    const { call, secretStore } = await app();
    expect(await call('signIn', { username: 'nopart', password: 'Temporary-Pass-123!' })).toEqual({ type: 'success', value: { step: 'newPasswordRequired' } });
    expect(await call('completeNewPassword', { newPassword: 'Nopart-chose-this-1!' })).toMatchObject({
      type: 'error',
      code: 'AccessDenied',
      message: expect.stringContaining('not assigned to a partition'),
    });
    expect(await call('getSession')).toEqual({ type: 'success', value: null });
    expect(await secretStore.get('cognito-refresh-token')).toBeUndefined();
  });

  it('refuse a step that no sign-in is waiting for', async () => {
    const { call } = await app();
    expect(await call('submitMfaCode', { code: '123456' })).toMatchObject({ type: 'error', code: 'SessionExpired', message: expect.stringContaining('start again') });
  });

  it('start the pool’s forgot-password flow', async () => {
    const { call } = await app();
    expect(await call('forgotPassword', { username: 'grace' })).toEqual({ type: 'success', value: { destination: 'g***@v***' } });
    // Real codes are checked in main/identity/challenges.test.ts; here only the contract's shape.
    expect(await call('confirmForgotPassword', { username: 'grace', code: '123456', newPassword: passwordOf('grace') })).toEqual({ type: 'success', value: { reset: true } });
  });
});

describe('the session lifetime behind the contract', () => {
  it('signs out: forgets the refresh token and refuses further reads', async () => {
    const { call, secretStore } = await app();
    await call('signIn', { username: 'ada', password: passwordOf('ada') });
    expect(await secretStore.get('cognito-refresh-token')).toBeDefined();
    expect(await call('signOut', { everywhere: false })).toEqual({ type: 'success', value: { signedOut: true } });
    expect(await secretStore.get('cognito-refresh-token')).toBeUndefined();
    expect(await call('getSession')).toEqual({ type: 'success', value: null });
    expect(await call('getPartition')).toMatchObject({ type: 'error', code: 'SessionExpired' });
  });

  it('resumes after a restart from the refresh token in the secret store, without the password', async () => {
    const secretStore = new MemorySecretStore();
    const before = await app({ secretStore });
    await before.call('signIn', { username: 'grace', password: passwordOf('grace') });
    const after = await app({ secretStore }); // a new process with the same secret store
    expect(await after.call('getSession')).toEqual({ type: 'success', value: { username: 'grace', partition: 'demo', isAdmin: false } });
    expect(await after.call('getPartition')).toEqual({ type: 'success', value: demoPartition });
  });

  it('says "please sign in again", never "wrong password", once the session was revoked and the token expired', async () => {
    let clock = Date.now();
    const { call } = await app({ now: () => clock });
    await call('signIn', { username: 'grace', password: passwordOf('grace') });
    await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: emulator().deployment.userPoolId, Username: 'grace' }));
    clock += 61 * 60_000;
    const result = await call('getPartition');
    expect(result).toMatchObject({ type: 'error', code: 'SessionExpired', message: expect.stringContaining('Please sign in again') });
    expect(JSON.stringify(result)).not.toMatch(/password/i);
  });

  it('answers every payload that does not match the contract with InvalidArgument', async () => {
    const { call } = await app();
    expect(await call('readFile', '/etc/passwd')).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await call('signIn', { username: 'ada', password: 'x', admin: true })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await call('getAppInfo', { sneaky: 1 })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await call('submitMfaCode', { code: '12345a' })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
  });

  it('never lets an internal error text reach the renderer', async () => {
    const { handlers } = await app();
    handlers.getAppInfo = async () => {
      throw new Error('secret internal detail at /home/x');
    };
    const result = await dispatchIpc(handlers, 'getAppInfo', undefined);
    expect(result).toMatchObject({ type: 'error', code: 'Internal' });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});

// Last in this file: it turns MFA on for the whole pool, as the real stack has it.
describe('TOTP through the contract (MFA required)', () => {
  it('enrols an authenticator app at first sign-in, then asks for its codes', async () => {
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: emulator().deployment.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await createUser('tove', 'Temporary-Pass-123!', 'demo');
    const codeFor = async (secret: string): Promise<string> => {
      const into = Date.now() % 30_000;
      if (into > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 250));
      return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    };
    const tove = { type: 'success', value: { step: 'signedIn', session: { username: 'tove', partition: 'demo', isAdmin: false } } };

    const first = await app({ passwordFlow: 'USER_SRP_AUTH' });
    expect(await first.call('signIn', { username: 'tove', password: 'Temporary-Pass-123!' })).toEqual({ type: 'success', value: { step: 'newPasswordRequired' } });
    const setup = await first.call('completeNewPassword', { newPassword: 'Tove-chose-this-1!' });
    expect(setup).toMatchObject({ type: 'success', value: { step: 'mfaSetup', otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/.*secret=/) } });
    const { secret } = (setup as { value: { secret: string } }).value;
    expect(await first.call('verifyMfaSetup', { code: await codeFor(secret) })).toEqual(tove);

    const later = await app({ passwordFlow: 'USER_SRP_AUTH' });
    expect(await later.call('signIn', { username: 'tove', password: 'Tove-chose-this-1!' })).toEqual({ type: 'success', value: { step: 'mfaCode' } });
    expect(await later.call('submitMfaCode', { code: await codeFor(secret) })).toEqual(tove);
  });
});
