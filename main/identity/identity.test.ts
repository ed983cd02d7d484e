import { AdminUserGlobalSignOutCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { clientConfig } from '../aws/target';
import { startLoopbackProxy, type Fault } from '../emulator/loopback-proxy';
import { useTestEmulator } from '../emulator/test-emulator';
import { MemorySecretStore } from '../secrets';
import {
  ContractorCredentials,
  UserPoolSession,
  UserPoolSignIn,
  createIdentityServices,
  readIdTokenClaims,
  refreshTokenSecret,
  type IdentityServices,
  type UserPoolTokens,
} from './index';

// us-east-1: moto routes GlobalSignOut, which the SDK rightly sends unsigned, to its default region.
const emulator = useTestEmulator('us-east-1');

function services(options: { now?: () => number; secretStore?: MemorySecretStore } = {}): IdentityServices {
  return createIdentityServices({ deployment: emulator().deployment, secretStore: options.secretStore ?? new MemorySecretStore(), ...(options.now ? { now: options.now } : {}) });
}

function password(username: string): string {
  const user = emulator().deployment.demoUsers.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user.password;
}

async function tokensFor(identity: IdentityServices, username: string, flow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH'): Promise<UserPoolTokens> {
  const progress = await new UserPoolSignIn(identity).start(username, password(username), flow);
  if (progress.step !== 'tokens') throw new Error(`unexpected step ${progress.step}`);
  return progress.tokens;
}

/** The JWT id of a token: each token Cognito issues has its own. */
function jti(jwt: string): string {
  return (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string }).jti;
}

/** Every string reachable from an object, SDK clients aside (they hold no tokens, only configuration). */
function stringsIn(root: unknown, seen = new Set<unknown>()): string[] {
  if (typeof root === 'string') return [root];
  if (!root || typeof root !== 'object' || seen.has(root) || 'middlewareStack' in root) return [];
  seen.add(root);
  return Object.values(root).flatMap((value) => stringsIn(value, seen));
}

/** Records the ID token of every call the identity pool receives. */
function recordLogins(identity: IdentityServices): string[] {
  const seen: string[] = [];
  identity.identityPool.middlewareStack.add(
    (next) => async (args) => {
      const logins = (args.input as { Logins?: Record<string, string> }).Logins ?? {};
      seen.push(...Object.values(logins));
      return next(args);
    },
    { step: 'initialize', name: 'recordLogins' },
  );
  return seen;
}

describe('signing in with the user pool', () => {
  it('completes the whole SRP exchange (USER_SRP_AUTH, PASSWORD_VERIFIER) for ada', async () => {
    const tokens = await tokensFor(services(), 'ada', 'USER_SRP_AUTH');
    const claims = readIdTokenClaims(tokens.idToken);
    expect(claims).toMatchObject({ username: 'ada', partition: 'demo', groups: [] });
    expect(tokens.refreshToken).toBeTruthy();
  });

  it('reads the partition and a distinct sub for each contractor', async () => {
    const identity = services();
    const subs = new Set<string>();
    for (const username of ['ada', 'grace']) {
      const claims = readIdTokenClaims((await tokensFor(identity, username)).idToken);
      expect(claims.partition).toBe('demo');
      subs.add(claims.sub);
    }
    expect(subs.size).toBe(2);
  });

  it('puts the admin in the admins group and in no partition', async () => {
    const claims = readIdTokenClaims((await tokensFor(services(), 'admin')).idToken);
    expect(claims.groups).toContain('admins');
    expect(claims.partition).toBeUndefined();
  });

  it('says a wrong password is wrong, and an unknown user the same way', async () => {
    // USER_PASSWORD_AUTH: moto accepts any SRP proof, so only this flow checks the password here.
    const signIn = new UserPoolSignIn(services());
    const wrong = { code: 'WrongPassword', message: expect.stringContaining('user name or password is wrong') };
    await expect(signIn.start('ada', 'Not-her-password-1!', 'USER_PASSWORD_AUTH')).rejects.toMatchObject(wrong);
    await expect(signIn.start('nobody', 'Whatever-password-1!', 'USER_PASSWORD_AUTH')).rejects.toMatchObject(wrong);
  });

  it('never sends the password itself to a real deployment', async () => {
    const { region } = emulator().deployment;
    const real = { ...emulator().deployment, target: 'aws' as const, endpoint: 'http://127.0.0.1:9', bucket: `voicevault-data-123456789012-${region}` };
    const signIn = new UserPoolSignIn(createIdentityServices({ deployment: real, secretStore: new MemorySecretStore() }));
    await expect(signIn.start('ada', 'x', 'USER_PASSWORD_AUTH')).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringContaining('SRP only') });
    // And the default there is SRP: the unreachable endpoint is the only reason this fails.
    await expect(signIn.start('ada', 'x')).rejects.toMatchObject({ code: 'NetworkUnavailable' });
  });

  it('refuses a deployment that sends traffic over plain http to another host', () => {
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- the point: such an endpoint is refused
    const planted = { ...emulator().deployment, endpoint: 'http://attacker.example:5000' };
    expect(() => createIdentityServices({ deployment: planted, secretStore: new MemorySecretStore() })).toThrow(expect.objectContaining({ code: 'UntrustedDeployment' }));
  });

  it('says the network is unavailable when the endpoint does not answer', async () => {
    const offline = { ...emulator().deployment, endpoint: 'http://127.0.0.1:9' };
    const signIn = new UserPoolSignIn(createIdentityServices({ deployment: offline, secretStore: new MemorySecretStore() }));
    await expect(signIn.start('ada', password('ada'))).rejects.toMatchObject({ code: 'NetworkUnavailable' });
  });
});

describe('a signed-in session', () => {
  it('keeps the refresh token in the secret store only, and forgets it on sign-out', async () => {
    const secretStore = new MemorySecretStore();
    const identity = services({ secretStore });
    const tokens = await tokensFor(identity, 'ada');
    const session = await UserPoolSession.start(identity, tokens);
    expect(new TextDecoder().decode(await secretStore.get(refreshTokenSecret))).toBe(tokens.refreshToken);
    expect(stringsIn(session)).toContain(tokens.idToken); // the walk does reach the tokens it holds
    expect(stringsIn(session)).not.toContain(tokens.refreshToken);
    await session.signOut(false);
    expect(await secretStore.get(refreshTokenSecret)).toBeUndefined();
    await expect(session.credentials()).rejects.toMatchObject({ code: 'SessionExpired', message: expect.stringContaining('sign in again') });
  });

  it('refreshes the ID token before it expires and hands the fresh one to the identity pool', async () => {
    let clock = Date.now();
    const identity = services({ now: () => clock });
    const logins = recordLogins(identity);
    const session = await UserPoolSession.start(identity, await tokensFor(identity, 'ada'));
    const first = await session.idToken();
    await session.credentials();
    expect(logins.at(-1)).toBe(first);

    clock += 50 * 60_000; // ten minutes left of the hour: still good
    expect(await session.idToken()).toBe(first);

    clock += 20 * 60_000; // past expiry: the next credentials need a refreshed token
    session.invalidateCredentials();
    await session.credentials();
    const fresh = logins.at(-1) ?? '';
    expect(jti(fresh)).not.toBe(jti(first));
    expect(readIdTokenClaims(fresh)).toEqual(readIdTokenClaims(first)); // same contractor
    expect(await session.idToken()).toBe(fresh);
  });

  it('after a revocation elsewhere, says "please sign in again" and forgets the dead token', async () => {
    let clock = Date.now();
    const secretStore = new MemorySecretStore();
    const identity = services({ now: () => clock, secretStore });
    const session = await UserPoolSession.start(identity, await tokensFor(identity, 'grace'));

    // An admin signs grace out of every device.
    const admin = new CognitoIdentityProviderClient(clientConfig(emulator().adminTarget));
    await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: emulator().deployment.userPoolId, Username: 'grace' }));
    admin.destroy();

    clock += 61 * 60_000;
    session.invalidateCredentials();
    const attempt = session.credentials();
    await expect(attempt).rejects.toMatchObject({ code: 'SessionExpired', message: expect.stringContaining('Please sign in again') });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('password') });
    expect(await secretStore.get(refreshTokenSecret)).toBeUndefined();
  });

  it('signs out everywhere: another device of the same contractor can no longer refresh', async () => {
    let clock = Date.now();
    const laptop = services({ now: () => clock });
    const desktop = services({ now: () => clock });
    const onLaptop = await UserPoolSession.start(laptop, await tokensFor(laptop, 'ada'));
    const onDesktop = await UserPoolSession.start(desktop, await tokensFor(desktop, 'ada'));

    await onLaptop.signOut(true);
    clock += 61 * 60_000;
    await expect(onDesktop.idToken()).rejects.toMatchObject({ code: 'SessionExpired' });
    await expect(onLaptop.idToken()).rejects.toMatchObject({ code: 'SessionExpired' });
  });

  it('resumes after a restart from the stored refresh token, and not after sign-out', async () => {
    const secretStore = new MemorySecretStore();
    const before = services({ secretStore });
    const first = await UserPoolSession.start(before, await tokensFor(before, 'grace'));

    const after = services({ secretStore }); // a new process: nothing but the secret store survives
    const resumed = await UserPoolSession.resume(after);
    expect(resumed?.claims).toEqual(first.claims);
    await resumed?.signOut(false);
    expect(await UserPoolSession.resume(services({ secretStore }))).toBeUndefined();
  });
});

/** What the identity pool answers for an ID token that has expired or was revoked. */
const tokenRefused: Fault = {
  kind: 'status',
  status: 400,
  body: JSON.stringify({ __type: 'NotAuthorizedException', message: 'Invalid login token. Token expired: 1700000000 >= 1699999999' }),
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'NotAuthorizedException' },
};

function target(body: Buffer): string {
  return (JSON.parse(body.toString('utf8') || '{}') as { AuthFlow?: string }).AuthFlow ?? '';
}

describe('when the identity pool refuses the ID token (moto never does: a fault proxy answers for it)', () => {
  it('refreshes the token once and tries again with the fresh one', async () => {
    const proxy = await startLoopbackProxy({ target: emulator().moto.endpoint });
    try {
      const identity = services();
      const session = await UserPoolSession.start(identity, await tokensFor(identity, 'ada'));
      const viaProxy = createIdentityServices({ deployment: { ...emulator().deployment, endpoint: proxy.url }, secretStore: identity.secretStore });
      const resumed = await UserPoolSession.resume(viaProxy);
      if (!resumed) throw new Error('no session to resume');
      const logins = recordLogins(viaProxy);
      let refusals = 1;
      proxy.setFault((request) => (request.service === 'cognito-identity' && refusals-- > 0 ? tokenRefused : undefined));

      expect((await resumed.credentials()).sessionToken).toBeTruthy();
      const refreshes = proxy.requests.filter((r) => r.service === 'cognito-idp' && target(r.body) === 'REFRESH_TOKEN_AUTH');
      expect(refreshes).toHaveLength(2); // the resume, then the forced refresh after the refusal
      expect(proxy.requests.filter((r) => r.fault === 'status')).toHaveLength(1);
      expect(jti(logins.at(-1) ?? '')).not.toBe(jti(logins[0] ?? ''));
      expect(session.claims).toEqual(resumed.claims);
    } finally {
      await proxy.close();
    }
  });

  it('says "please sign in again", never "wrong password", when it keeps refusing', async () => {
    const proxy = await startLoopbackProxy({ target: emulator().moto.endpoint, fault: (request) => (request.service === 'cognito-identity' ? tokenRefused : undefined) });
    try {
      const identity = createIdentityServices({ deployment: { ...emulator().deployment, endpoint: proxy.url }, secretStore: new MemorySecretStore() });
      const session = await UserPoolSession.start(identity, await tokensFor(identity, 'grace'));
      const attempt = session.credentials();
      await expect(attempt).rejects.toMatchObject({ code: 'SessionExpired', message: 'Could not get upload credentials: your session has ended. Please sign in again.' });
    } finally {
      await proxy.close();
    }
  });
});

describe('identity-pool credentials', () => {
  it('reuses credentials until the refresh margin, then fetches new ones; invalidate() forces a fetch', async () => {
    const identity = services();
    const tokens = await tokensFor(identity, 'ada');
    let clock = Date.now();
    const credentials = new ContractorCredentials(identity.deployment, identity.identityPool, () => tokens.idToken, () => clock, 30_000);
    const first = await credentials.get();
    clock = first.expiration.getTime() - 60_000; // still a minute left: reused
    expect(await credentials.get()).toBe(first);
    clock = first.expiration.getTime() - 10_000; // inside the refresh margin: fetched anew
    const second = await credentials.get();
    expect(second).not.toBe(first);
    expect(second.expiration.getTime()).toBeGreaterThanOrEqual(first.expiration.getTime());
    credentials.invalidate(); // S3 said ExpiredToken
    expect(await credentials.get()).not.toBe(second);
  });

  it('shares one fetch between concurrent callers', async () => {
    const identity = services();
    const tokens = await tokensFor(identity, 'ada');
    const credentials = new ContractorCredentials(identity.deployment, identity.identityPool, () => tokens.idToken);
    const [a, b, c] = await Promise.all([credentials.get(), credentials.get(), credentials.get()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });
});

describe('ID token claims', () => {
  it('rejects a token it cannot read, in plain words', () => {
    expect(() => readIdTokenClaims('not-a-jwt')).toThrow(/sign in again/);
  });
});
