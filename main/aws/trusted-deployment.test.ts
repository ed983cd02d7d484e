/* eslint-disable @microsoft/sdl/no-insecure-url -- these tests feed insecure endpoints to the check to prove they are refused */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDeployment, type Deployment } from './deployment';
import { checkDeploymentTrust, environmentLabel, isLoopbackHost, loadTrustedDeployment } from './trusted-deployment';

const realAws: Deployment = {
  target: 'aws',
  account: '111122223333',
  region: 'eu-central-1',
  userPoolId: 'eu-central-1_AbCdEf123',
  userPoolClientId: '1example23456789',
  identityPoolId: 'eu-central-1:0c9a1b2c-3d4e-5f60-7a8b-9c0d1e2f3a4b',
  envelopeKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  storageKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321',
  bucket: 'voicevault-data-111122223333-eu-central-1',
  demoUsers: [],
};

const localEmulator: Deployment = {
  target: 'emulator',
  endpoint: 'http://127.0.0.1:5000',
  region: 'eu-central-1',
  userPoolId: 'eu-central-1_local',
  userPoolClientId: 'client',
  identityPoolId: 'eu-central-1:5f1c2d3e-aaaa-bbbb-cccc-000000000000',
  envelopeKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/a',
  storageKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/b',
  bucket: 'voicevault-data-local',
  demoUsers: [{ username: 'ada', password: 'local-only', role: 'contractor', partition: 'demo' }],
};

/** A working directory with a planted `.voicevault/local.json` and an install folder with the packaged file. */
async function layout(packaged: Deployment | undefined, planted: Deployment = { ...localEmulator, endpoint: 'http://attacker.example:80' }) {
  const root = await mkdtemp(join(tmpdir(), 'vv-trust-'));
  const cwd = join(root, 'somewhere');
  const packagedPath = join(root, 'install', 'resources', 'deployment.json');
  await writeDeployment(join(cwd, '.voicevault', 'local.json'), planted);
  if (packaged) await writeDeployment(packagedPath, packaged);
  return { cwd, packagedPath };
}

function refusal(field: string) {
  return { code: 'UntrustedDeployment', message: expect.stringContaining(field) };
}

describe('a release build', () => {
  it('reads the packaged deployment and ignores the state file in the working directory', async () => {
    const { cwd, packagedPath } = await layout(realAws);
    expect(await loadTrustedDeployment({ mode: 'release', packagedPath, env: {}, cwd })).toEqual(realAws);
  });

  it('refuses to start without a packaged deployment rather than using the working directory', async () => {
    const { cwd, packagedPath } = await layout(undefined, localEmulator);
    const attempt = loadTrustedDeployment({ mode: 'release', packagedPath, env: {}, cwd });
    await expect(attempt).rejects.toMatchObject({ code: 'StateFileMissing', message: expect.stringContaining('reinstall') });
    await expect(attempt).rejects.toMatchObject({ message: expect.not.stringContaining('npm run emulator') });
  });

  it('refuses VOICEVAULT_STATE and AWS_ENDPOINT_URL instead of following them', async () => {
    const { cwd, packagedPath } = await layout(realAws);
    await expect(loadTrustedDeployment({ mode: 'release', packagedPath, env: { VOICEVAULT_STATE: '.voicevault/local.json' }, cwd })).rejects.toMatchObject(refusal('VOICEVAULT_STATE'));
    await expect(loadTrustedDeployment({ mode: 'release', packagedPath, env: { AWS_ENDPOINT_URL: 'http://attacker.example' }, cwd })).rejects.toMatchObject(refusal('AWS_ENDPOINT_URL'));
    await expect(loadTrustedDeployment({ mode: 'release', packagedPath, env: { AWS_ENDPOINT_URL_KMS: 'https://kms.attacker.example' }, cwd })).rejects.toMatchObject(refusal('AWS_ENDPOINT_URL_KMS'));
  });

  it('refuses a relative packaged path (it would resolve against the working directory)', async () => {
    const { cwd } = await layout(realAws);
    await expect(loadTrustedDeployment({ mode: 'release', packagedPath: '.voicevault/local.json', env: {}, cwd })).rejects.toMatchObject({ code: 'UntrustedDeployment' });
  });

  it('refuses the emulator target, a custom endpoint and demo users even in the packaged file', async () => {
    const { cwd, packagedPath } = await layout(localEmulator);
    await expect(loadTrustedDeployment({ mode: 'release', packagedPath, env: {}, cwd })).rejects.toMatchObject(refusal('target'));
    expect(() => checkDeploymentTrust({ ...realAws, endpoint: 'https://cognito.example.com' }, 'release')).toThrow(/endpoint/);
    expect(() => checkDeploymentTrust({ ...realAws, demoUsers: localEmulator.demoUsers }, 'release')).toThrow(/demoUsers/);
  });
});

describe('every build', () => {
  it('refuses an http endpoint that is not loopback, and accepts https or loopback http', () => {
    expect(() => checkDeploymentTrust({ ...realAws, endpoint: 'http://10.0.0.5:4566' }, 'release')).toThrow(/endpoint/);
    expect(() => checkDeploymentTrust({ ...localEmulator, endpoint: 'http://10.0.0.5:4566' }, 'development')).toThrow(/endpoint.*https/);
    expect(() => checkDeploymentTrust({ ...realAws, endpoint: 'http://10.0.0.5:4566' }, 'development')).toThrow(/endpoint.*https/);
    expect(() => checkDeploymentTrust({ ...localEmulator, endpoint: 'http://192.168.1.20:5000' }, 'development')).toThrow(/endpoint/);
    expect(checkDeploymentTrust({ ...localEmulator, endpoint: 'http://localhost:4566' }, 'development').endpoint).toBe('http://localhost:4566');
    expect(checkDeploymentTrust({ ...localEmulator, endpoint: 'http://[::1]:4566' }, 'development').endpoint).toBe('http://[::1]:4566');
    expect(checkDeploymentTrust({ ...localEmulator, endpoint: 'https://localstack.example.com' }, 'development').target).toBe('emulator');
  });

  it('refuses a key ARN from another account, naming the field', () => {
    const otherAccount = { ...realAws, storageKeyArn: 'arn:aws:kms:eu-central-1:999999999999:key/0987dcba-09fe-87dc-65ba-ab0987654321' };
    expect(() => checkDeploymentTrust(otherAccount, 'release')).toThrow(expect.objectContaining(refusal('storageKeyArn names account 999999999999')));
    const envelopeElsewhere = { ...realAws, envelopeKeyArn: 'arn:aws:kms:eu-central-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
    expect(() => checkDeploymentTrust(envelopeElsewhere, 'release')).toThrow(expect.objectContaining(refusal('envelopeKeyArn names account 999999999999')));
  });

  it('refuses a key ARN from another region, naming the field', () => {
    const otherRegion = { ...realAws, envelopeKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
    expect(() => checkDeploymentTrust(otherRegion, 'release')).toThrow(expect.objectContaining(refusal('envelopeKeyArn names region us-east-1')));
  });

  it('refuses an alias instead of a key, and something that is not a KMS ARN', () => {
    expect(() => checkDeploymentTrust({ ...realAws, envelopeKeyArn: 'arn:aws:kms:eu-central-1:111122223333:alias/voicevault-envelope' }, 'release')).toThrow(/envelopeKeyArn.*alias/);
    expect(() => checkDeploymentTrust({ ...realAws, storageKeyArn: 'alias/voicevault-storage' }, 'release')).toThrow(/storageKeyArn/);
  });

  it('refuses a bucket and pools of another account or region, naming the field', () => {
    expect(() => checkDeploymentTrust({ ...realAws, bucket: 'voicevault-data-999999999999-eu-central-1' }, 'release')).toThrow(/bucket/);
    expect(() => checkDeploymentTrust({ ...realAws, bucket: 'someone-elses-bucket' }, 'release')).toThrow(/bucket/);
    expect(() => checkDeploymentTrust({ ...realAws, userPoolId: 'us-east-1_AbCdEf123' }, 'release')).toThrow(/userPoolId/);
    expect(() => checkDeploymentTrust({ ...realAws, identityPoolId: 'us-east-1:0c9a1b2c-3d4e-5f60-7a8b-9c0d1e2f3a4b' }, 'release')).toThrow(/identityPoolId/);
  });

  it('holds keys to the declared account when the deployment names one', () => {
    expect(() => checkDeploymentTrust({ ...realAws, account: '444455556666' }, 'release')).toThrow(/envelopeKeyArn names account 111122223333/);
  });
});

describe('a development build, the CLI and the tests', () => {
  it('use VOICEVAULT_STATE or the emulator state file, checked all the same', async () => {
    const { cwd, packagedPath } = await layout(realAws, localEmulator);
    expect(await loadTrustedDeployment({ mode: 'development', packagedPath, env: {}, cwd })).toEqual(localEmulator);
    await writeDeployment(join(cwd, 'other.json'), { ...localEmulator, endpoint: 'http://attacker.example' });
    await expect(loadTrustedDeployment({ mode: 'development', packagedPath, env: { VOICEVAULT_STATE: 'other.json' }, cwd })).rejects.toMatchObject(refusal('endpoint'));
  });

  it('fall back to the packaged deployment when there is no emulator state file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vv-trust-'));
    const packagedPath = join(root, 'deployment.json');
    await writeDeployment(packagedPath, realAws);
    expect(await loadTrustedDeployment({ mode: 'development', packagedPath, env: {}, cwd: join(root, 'empty') })).toEqual(realAws);
  });
});

describe('what the window shows', () => {
  it('says "Local emulator" or the AWS region', () => {
    expect(environmentLabel(localEmulator)).toBe('Local emulator');
    expect(environmentLabel(realAws)).toBe('AWS eu-central-1');
    expect(environmentLabel({ ...realAws, endpoint: 'https://aws-proxy.example.com' })).toBe('AWS eu-central-1 via aws-proxy.example.com');
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.5.6.7', 'localhost', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '128.0.0.1', 'localhost.example.com', '[::2]', '0.0.0.0'].map(isLoopbackHost)).toEqual([false, false, false, false, false]);
  });
});
