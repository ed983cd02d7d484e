// Which deployment the app may talk to. A release build trusts only the deployment file packaged
// with it (inside the signed app), never one found in the working directory or named by the
// environment: a planted file could otherwise send the contractor's password, and later the data
// keys, to another host. Development builds, the CLI and the tests may use the emulator and custom
// endpoints, but even there a non-loopback endpoint must be https, and every ARN, pool and the
// bucket must name the deployment's own account and region.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isIP } from 'node:net';
import { realBucketName } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { defaultStatePath, readDeployment, type Deployment } from './deployment';

/** `release`: a packaged app. `development`: a development build, the CLI and the tests. */
export type BuildMode = 'release' | 'development';

export interface TrustedDeploymentOptions {
  mode: BuildMode;
  /** The deployment file packaged with the app (e.g. `<resources>/deployment.json`); absolute. */
  packagedPath: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const packagedAdvice = 'This copy of VoiceVault was packaged without a valid deployment; please reinstall it or ask your admin for a correct build.';

/** The one function the app's wiring calls to learn where its AWS resources are. */
export async function loadTrustedDeployment(options: TrustedDeploymentOptions): Promise<Deployment> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.mode === 'release') {
    refuseEnvironmentOverrides(env);
    if (!isAbsolute(options.packagedPath)) {
      // A relative path would be read from the working directory, which is exactly what must not happen.
      throw new VoiceVaultError('UntrustedDeployment', `The packaged deployment path must be absolute (got ${options.packagedPath}).`);
    }
    return checkDeploymentTrust(await readDeployment(options.packagedPath, packagedAdvice), 'release');
  }
  return checkDeploymentTrust(await readDeployment(developmentStatePath(options.packagedPath, env, cwd)), 'development');
}

/** VOICEVAULT_STATE, else the emulator's `.voicevault/local.json`, else the packaged file if there is one. */
function developmentStatePath(packagedPath: string, env: NodeJS.ProcessEnv, cwd: string): string {
  if (env.VOICEVAULT_STATE) return defaultStatePath(env, cwd);
  const local = defaultStatePath({}, cwd);
  if (!existsSync(local) && existsSync(resolve(cwd, packagedPath))) return resolve(cwd, packagedPath);
  return local;
}

function refuseEnvironmentOverrides(env: NodeJS.ProcessEnv): void {
  if (env.VOICEVAULT_STATE) {
    throw new VoiceVaultError(
      'UntrustedDeployment',
      'VOICEVAULT_STATE is set, but this release build of VoiceVault only uses the deployment packaged with it. Unset VOICEVAULT_STATE (it is for development builds and the CLI).',
    );
  }
  // The AWS SDK would follow these to any host; a release build must not.
  const endpointVariable = Object.keys(env).find((name) => /^AWS_ENDPOINT_URL(_|$)/.test(name) && env[name]);
  if (endpointVariable) {
    throw new VoiceVaultError(
      'UntrustedDeployment',
      `${endpointVariable} is set, but a release build of VoiceVault only talks to AWS itself. Unset ${endpointVariable} (custom endpoints are for development builds and the CLI).`,
    );
  }
}

interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

function parseArn(arn: string): ParsedArn | undefined {
  const match = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  if (!match) return undefined;
  const [, partition = '', service = '', region = '', account = '', resource = ''] = match;
  return { partition, service, region, account, resource };
}

function untrusted(field: string, problem: string): VoiceVaultError {
  return new VoiceVaultError('UntrustedDeployment', `The deployment is refused: ${field} ${problem}.`);
}

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Refuses (UntrustedDeployment, naming the field) a deployment this build must not use. Returns it
 * unchanged otherwise, so callers can write `checkDeploymentTrust(await readDeployment(p), mode)`.
 */
export function checkDeploymentTrust(deployment: Deployment, mode: BuildMode): Deployment {
  const { region } = deployment;
  if (mode === 'release') {
    if (deployment.target !== 'aws') throw untrusted('target', `is "${deployment.target}"; a release build only uses real AWS (the emulator is for development builds, the CLI and the tests)`);
    if (deployment.endpoint) throw untrusted('endpoint', `is ${deployment.endpoint}; a release build only uses AWS's own endpoints`);
    if (deployment.demoUsers.length > 0) throw untrusted('demoUsers', 'lists local demo accounts, which a release build must never carry');
  }
  if (deployment.endpoint) checkEndpoint(deployment.endpoint);
  if (!regionPattern.test(region)) throw untrusted('region', `"${region}" is not an AWS region`);

  const envelope = parseKeyArn('envelopeKeyArn', deployment.envelopeKeyArn);
  const account = deployment.account ?? envelope.account;
  for (const [field, arn] of [
    ['envelopeKeyArn', envelope],
    ['storageKeyArn', parseKeyArn('storageKeyArn', deployment.storageKeyArn)],
  ] as const) {
    if (arn.region !== region) throw untrusted(field, `names region ${arn.region}, but the deployment is in ${region}`);
    if (arn.account !== account) throw untrusted(field, `names account ${arn.account}, but the deployment's account is ${account}`);
  }
  if (!deployment.userPoolId.startsWith(`${region}_`)) throw untrusted('userPoolId', `${deployment.userPoolId} is not a user pool in ${region}`);
  if (!deployment.identityPoolId.startsWith(`${region}:`)) throw untrusted('identityPoolId', `${deployment.identityPoolId} is not an identity pool in ${region}`);
  // The real stack names its bucket after account and region (shared/config.ts); the emulator's bucket has a fixed name.
  if (deployment.target === 'aws' && deployment.bucket !== realBucketName(account, region)) {
    throw untrusted('bucket', `"${deployment.bucket}" is not the VoiceVault bucket of account ${account} in ${region} (${realBucketName(account, region)})`);
  }
  return deployment;
}

function parseKeyArn(field: string, value: string): ParsedArn {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'kms') throw untrusted(field, `"${value}" is not a KMS key ARN`);
  if (!arn.resource.startsWith('key/')) throw untrusted(field, `"${value}" must name a key, not an alias or anything else`);
  return arn;
}

/** True for 127.0.0.0/8, ::1 and localhost: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw untrusted('endpoint', `"${endpoint}" is not a URL`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw untrusted('endpoint', `${endpoint} must use https (plain http is allowed only on this machine's loopback address)`);
}

/** What the window shows, unmistakably, about where data goes. */
export function environmentLabel(deployment: Deployment): string {
  if (deployment.target === 'emulator') return 'Local emulator';
  if (deployment.endpoint) return `AWS ${deployment.region} via ${new URL(deployment.endpoint).host}`;
  return `AWS ${deployment.region}`;
}
