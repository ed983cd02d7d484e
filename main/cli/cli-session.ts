// What the contractor-facing commands share: find the deployment, sign in from stdin or the
// environment, read the partition, and open this contractor's workspace in the data directory.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { readDeployment, defaultStatePath, deploymentTarget, type Deployment } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { readPartitionConfig } from '../partitions/config-store';
import { openWorkspace, type Workspace } from '../pipeline/workspace';
import { FileSecretStore, type SecretStore } from '../secrets';
import type { ActiveSession } from '../session/context';
import type { CliIo } from './command';
import { signInFromCli } from './sign-in';

export interface CliSessionOptions {
  username: string;
  /** The password is the first line of standard input (--password-stdin); else VOICEVAULT_PASSWORD. */
  passwordStdin?: boolean;
  statePath?: string;
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Upload tuning for tests and benchmarks. */
  upload?: Parameters<typeof openWorkspace>[0]['upload'];
  deployment?: Deployment;
}

export interface CliSession {
  deployment: Deployment;
  session: ActiveSession;
  workspace: Workspace;
  secretStore: SecretStore;
  close(): Promise<void>;
}

/** `$VOICEVAULT_DATA` or ~/.voicevault: the CLI's outbox, ledger, audit log and key files. */
export function cliDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.VOICEVAULT_DATA ?? join(homedir(), '.voicevault'));
}

export const appVersion = '0.1.0';

export async function openCliSession(io: CliIo, options: CliSessionOptions): Promise<CliSession> {
  const env = options.env ?? process.env;
  const deployment = options.deployment ?? (await readDeployment(options.statePath ?? defaultStatePath(env)));
  const dataDir = options.dataDir ?? cliDataDir(env);
  const secretStore = new FileSecretStore(join(dataDir, 'secrets'));
  const session = await signInFromCli({ deployment, username: options.username, io, env, secretStore, ...(options.passwordStdin ? { passwordStdin: true } : {}) });
  const s3 = new S3Client(s3ClientConfig({ ...deploymentTarget(deployment), credentials: session.credentials }));
  let partition;
  try {
    partition = (await readPartitionConfig(s3, deployment.bucket, session.claims.partition ?? '')).partition;
  } finally {
    s3.destroy();
  }
  const workspace = await openWorkspace({ deployment, session, partition, dataDir, secretStore, appVersion, ...(options.upload ? { upload: options.upload } : {}) });
  return {
    deployment,
    session,
    workspace,
    secretStore,
    close: async () => {
      workspace.close();
    },
  };
}
