// The AWS clients an admin works with, all signed with the admin's own identity-pool credentials
// (the admin role: partition configs, listing, lifecycle, user management, alarms, erasure).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { clientConfig, s3ClientConfig } from '../aws/target';

export interface AdminClients {
  deployment: Deployment;
  s3: S3Client;
  userPool: CognitoIdentityProviderClient;
  cloudwatch: CloudWatchClient;
  destroy(): void;
}

export function createAdminClients(deployment: Deployment, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): AdminClients {
  const target = { ...deploymentTarget(deployment), credentials };
  const s3 = new S3Client(s3ClientConfig(target));
  const userPool = new CognitoIdentityProviderClient(clientConfig(target));
  const cloudwatch = new CloudWatchClient(clientConfig(target));
  return {
    deployment,
    s3,
    userPool,
    cloudwatch,
    destroy: () => {
      s3.destroy();
      userPool.destroy();
      cloudwatch.destroy();
    },
  };
}
