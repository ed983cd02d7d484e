// Where AWS calls go. Every client is built from an AwsTarget, so the same code runs against the
// local emulator, a LocalStack plan or a real account. Region, credentials and AWS_ENDPOINT_URL
// otherwise follow the standard SDK chain (environment, profile, …).
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export interface AwsTarget {
  region: string;
  /** A custom endpoint (the emulator's); absent means the SDK's own resolution, AWS_ENDPOINT_URL included. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface SdkClientConfig {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export function clientConfig(target: AwsTarget): SdkClientConfig {
  const config: SdkClientConfig = { region: target.region };
  if (target.endpoint) config.endpoint = target.endpoint;
  if (target.credentials) config.credentials = target.credentials;
  return config;
}

/** True when S3 must not use virtual-hosted buckets: any endpoint other than AWS's own. */
export function usesCustomEndpoint(target: AwsTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(target.endpoint || env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

export function s3ClientConfig(target: AwsTarget, env: NodeJS.ProcessEnv = process.env): SdkClientConfig & { forcePathStyle: boolean } {
  return { ...clientConfig(target), forcePathStyle: usesCustomEndpoint(target, env) };
}

/** moto accepts any key pair; fixed ones keep a user's real profile out of emulator runs. */
export const emulatorCredentials: AwsCredentialIdentity = {
  accessKeyId: 'voicevault-local',
  secretAccessKey: 'voicevault-local-secret',
};
