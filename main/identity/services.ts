// What the sign-in services share: the deployment, its two Cognito clients, the secret store that
// keeps the refresh token across restarts, and a clock (injected, so tests can let tokens expire).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Deployment } from '../aws/deployment';
import { deploymentTarget } from '../aws/deployment';
import { clientConfig } from '../aws/target';
import { checkDeploymentTrust } from '../aws/trusted-deployment';
import type { SecretStore } from '../secrets';

export interface IdentityServices {
  deployment: Deployment;
  secretStore: SecretStore;
  now: () => number;
  userPool: CognitoIdentityProviderClient;
  identityPool: CognitoIdentityClient;
}

/**
 * The user-pool and identity-pool calls VoiceVault makes need no AWS credentials (the SDK sends them
 * unsigned); a fixed dummy keeps the SDK from ever looking for a local profile.
 */
const unsigned: AwsCredentialIdentity = { accessKeyId: 'unsigned', secretAccessKey: 'unsigned' };

/**
 * Whatever loaded the deployment, a password is never sent to one that fails the checks every build
 * applies (https off loopback, ARNs and pools of one account and region).
 */
export function createIdentityServices(options: { deployment: Deployment; secretStore: SecretStore; now?: () => number }): IdentityServices {
  checkDeploymentTrust(options.deployment, 'development');
  const config = clientConfig({ ...deploymentTarget(options.deployment), credentials: unsigned });
  return {
    deployment: options.deployment,
    secretStore: options.secretStore,
    now: options.now ?? Date.now,
    userPool: new CognitoIdentityProviderClient(config),
    identityPool: new CognitoIdentityClient(config),
  };
}

/** The refresh token's name in the secret store: the only place it is ever kept. */
export const refreshTokenSecret = 'cognito-refresh-token';
