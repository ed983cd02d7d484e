// Credentials of the pipeline-reader role (the training side): assumed through STS from whatever
// credentials the caller already has (an ML engineer's profile, a Batch job role). Only this role may
// decrypt features and manifests; contractors and admins cannot.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { deploymentTarget, type Deployment } from './deployment';
import { toVoiceVaultError } from './errors';
import { clientConfig } from './target';

/** The role's ARN: VOICEVAULT_READER_ROLE_ARN, else the stack's role name in the deployment's account. */
export function pipelineReaderRoleArn(deployment: Deployment, env: NodeJS.ProcessEnv = process.env): string {
  if (env.VOICEVAULT_READER_ROLE_ARN) return env.VOICEVAULT_READER_ROLE_ARN;
  const account = /^arn:aws[a-z-]*:kms:[^:]+:(\d{12}):/.exec(deployment.envelopeKeyArn)?.[1];
  if (!account) throw new VoiceVaultError('InvalidArgument', 'The deployment names no account (envelopeKeyArn); set VOICEVAULT_READER_ROLE_ARN.');
  return `arn:aws:iam::${account}:role/${voiceVaultConfig.roles.pipelineReader}`;
}

/**
 * A refreshing provider for the reader role. `callerCredentials` are the credentials allowed to assume it
 * (absent: the SDK's default chain).
 */
export function pipelineReaderCredentials(
  deployment: Deployment,
  callerCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  const roleArn = pipelineReaderRoleArn(deployment, env);
  let current: (AwsCredentialIdentity & { expiration: Date }) | undefined;
  return async () => {
    if (current && current.expiration.getTime() - 60_000 > now()) return current;
    const sts = new STSClient(clientConfig({ ...deploymentTarget(deployment), ...(callerCredentials ? { credentials: callerCredentials } : {}) }));
    try {
      const response = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `voicevault-reader-${now()}`, DurationSeconds: 3600 }));
      const c = response.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new VoiceVaultError('AccessDenied', `STS returned no credentials for ${roleArn}.`);
      }
      current = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      return current;
    } catch (error) {
      throw toVoiceVaultError(error, `assume the pipeline-reader role ${roleArn}`);
    } finally {
      sts.destroy();
    }
  };
}
