// The contractor session behind the IPC contract: signs in, keeps tokens and credentials in
// main-process memory only (never sent to the renderer), and reads the partition config.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { partitionConfigKey } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import type { IpcHandlers } from '../../shared/ipc-contract';
import { parsePartition, type Partition } from '../../shared/partition';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { toVoiceVaultError } from '../aws/errors';
import { s3ClientConfig } from '../aws/target';
import { ContractorCredentials, readIdTokenClaims, signIn, type ContractorClaims, type SessionTokens } from '../identity';

interface ActiveSession {
  tokens: SessionTokens;
  claims: ContractorClaims;
  credentials: ContractorCredentials;
}

export interface SessionOptions {
  deployment: Deployment;
  appVersion: string;
  now?: () => number;
}

export function createSessionHandlers(options: SessionOptions): IpcHandlers {
  const { deployment } = options;
  const now = options.now ?? Date.now;
  let session: ActiveSession | undefined;

  const requireSession = (): ActiveSession => {
    if (!session) throw new VoiceVaultError('CredentialsExpired', 'You are signed out. Please sign in.');
    return session;
  };

  return {
    getAppInfo: async () => ({ version: options.appVersion, target: deployment.target, region: deployment.region }),

    signIn: async ({ username, password }) => {
      const tokens = await signIn(deployment, username, password, now);
      const claims = readIdTokenClaims(tokens.idToken);
      if (!claims.partition) {
        throw new VoiceVaultError('AccessDenied', `${username} is not assigned to a partition yet. Ask your admin to assign one.`);
      }
      const active: ActiveSession = { tokens, claims, credentials: new ContractorCredentials(deployment, () => active.tokens.idToken, now) };
      await active.credentials.get(); // fail at sign-in, not at the first upload
      session = active;
      return { username: claims.username || username, partition: claims.partition };
    },

    signOut: async () => {
      session = undefined;
      return { signedOut: true as const };
    },

    getPartition: async (): Promise<Partition> => {
      const active = requireSession();
      const partitionId = active.claims.partition ?? '';
      const s3 = new S3Client({ ...s3ClientConfig(deploymentTarget(deployment)), credentials: active.credentials.provider() });
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: partitionConfigKey(partitionId) }));
        const parsed = parsePartition(JSON.parse((await object.Body?.transformToString()) ?? 'null'));
        if (!parsed.ok) {
          throw new VoiceVaultError('InvalidPartition', `The configuration of partition ${partitionId} is invalid: ${parsed.problems.join('; ')}`);
        }
        return parsed.partition;
      } catch (error) {
        throw toVoiceVaultError(error, `load partition ${partitionId}`);
      } finally {
        s3.destroy();
      }
    },
  };
}
