// For the pipeline's tests: ada signed in against a test emulator, her partition read with her own
// credentials, and a workspace in a fresh data directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { Partition } from '../../shared/partition';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import type { CliIo } from '../cli/command';
import { signInFromCli } from '../cli/sign-in';
import { readPartitionConfig } from '../partitions/config-store';
import { MemorySecretStore, type SecretStore } from '../secrets';
import type { ActiveSession } from '../session/context';
import { openWorkspace, type Workspace, type WorkspaceOptions } from './workspace';

export const referenceClip = (name: string): string => fileURLToPath(new URL(`../../shared/reference/audio/${name}`, import.meta.url));

export const quietIo: CliIo = { stdout: () => undefined, stderr: () => undefined, readStdin: async () => '' };

export async function signInAs(deployment: Deployment, username: string, secretStore: SecretStore = new MemorySecretStore()): Promise<ActiveSession> {
  const password = deployment.demoUsers.find((u) => u.username === username)?.password;
  if (!password) throw new Error(`no demo user ${username}`);
  return signInFromCli({ deployment, username, io: quietIo, env: { VOICEVAULT_PASSWORD: password }, secretStore });
}

export interface TestWorkspace extends Workspace {
  session: ActiveSession;
  dataDir: string;
  secretStore: SecretStore;
}

export async function openTestWorkspace(
  deployment: Deployment,
  options: { username?: string; partition?: (p: Partition) => Partition; dataDir?: string; secretStore?: SecretStore; acceptConsent?: boolean } & Partial<Pick<WorkspaceOptions, 'upload' | 'now'>> = {},
): Promise<TestWorkspace> {
  const secretStore = options.secretStore ?? new MemorySecretStore();
  const session = await signInAs(deployment, options.username ?? 'ada', secretStore);
  const s3 = new S3Client(s3ClientConfig({ ...deploymentTarget(deployment), credentials: session.credentials }));
  const stored = await readPartitionConfig(s3, deployment.bucket, session.claims.partition ?? '').finally(() => s3.destroy());
  const partition = options.partition ? options.partition(stored.partition) : stored.partition;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'voicevault-pipeline-'));
  const workspace = await openWorkspace({
    deployment,
    session,
    partition,
    dataDir,
    secretStore,
    appVersion: '0.0.0-test',
    ...(options.upload ? { upload: options.upload } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.acceptConsent !== false) await workspace.ledger.acceptConsent(partition.consent.version);
  return { ...workspace, session, dataDir, secretStore };
}
