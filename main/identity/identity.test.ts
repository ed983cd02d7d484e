import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../emulator/test-emulator';
import { ContractorCredentials, readIdTokenClaims, signIn } from './index';

const emulator = useTestEmulator();

describe('contractor identity', () => {
  it('reads the partition and sub from the ID token of each contractor', async () => {
    const { deployment } = emulator();
    const subs = new Set<string>();
    for (const user of deployment.demoUsers.filter((u) => u.role === 'contractor')) {
      const claims = readIdTokenClaims((await signIn(deployment, user.username, user.password)).idToken);
      expect(claims.partition).toBe('demo');
      subs.add(claims.sub);
    }
    expect(subs.size).toBe(2); // ada and grace are different principals
  });

  it('puts the admin in the admins group and in no partition', async () => {
    const { deployment } = emulator();
    const admin = deployment.demoUsers.find((u) => u.role === 'admin')!;
    const claims = readIdTokenClaims((await signIn(deployment, admin.username, admin.password)).idToken);
    expect(claims.groups).toContain('admins');
    expect(claims.partition).toBeUndefined();
  });

  it('reuses credentials until the refresh margin, then fetches new ones', async () => {
    const { deployment } = emulator();
    const ada = deployment.demoUsers.find((u) => u.username === 'ada')!;
    const tokens = await signIn(deployment, ada.username, ada.password);
    let clock = Date.now();
    const credentials = new ContractorCredentials(deployment, () => tokens.idToken, () => clock, 30_000);
    const first = await credentials.get();
    clock = first.expiration.getTime() - 60_000; // still a minute left: reused
    expect(await credentials.get()).toBe(first);
    clock = first.expiration.getTime() - 10_000; // inside the refresh margin: fetched anew
    const second = await credentials.get();
    expect(second).not.toBe(first);
    expect(second.expiration.getTime()).toBeGreaterThanOrEqual(first.expiration.getTime());
  });

  it('rejects a token it cannot read in plain words', () => {
    expect(() => readIdTokenClaims('not-a-jwt')).toThrow(/sign in again/);
  });
});
