// The app's composition: the one place the Electron shell builds the pipeline services (the CLI and
// the test bridge have their own). Secrets go to files encrypted by the OS keychain; local state
// (outbox, audit log, receipts) lives under the user's app-data folder.
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import type { IpcHandlers } from '../../shared/ipc-contract';
import { loadTrustedDeployment } from '../aws/trusted-deployment';
import { FileSecretStore } from '../secrets';
import { createSessionHandlers } from '../session';
import { SessionContext } from '../session/context';
import { safeStorageEncryption } from './os-encryption';

export interface CompositionInputs {
  appVersion: string;
  /** Release builds read their deployment only from the packaged file. */
  isPackaged: boolean;
  appPath: string;
  resourcesPath: string;
  userDataPath: string;
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  env?: NodeJS.ProcessEnv;
}

export async function composeSessionContext(inputs: CompositionInputs): Promise<SessionContext> {
  // A packaged app reads only the deployment file shipped inside it; a development build (npm start)
  // may point at the emulator through VOICEVAULT_STATE.
  const deployment = await loadTrustedDeployment({
    mode: inputs.isPackaged ? 'release' : 'development',
    packagedPath: join(inputs.resourcesPath, 'deployment.json'),
    env: inputs.env ?? process.env,
    cwd: inputs.appPath,
  });
  const secretStore = new FileSecretStore(join(inputs.userDataPath, 'secrets'), safeStorageEncryption(inputs.safeStorage));
  return new SessionContext({ deployment, appVersion: inputs.appVersion, secretStore, dataDir: join(inputs.userDataPath, 'data') });
}

export async function composeSessionHandlers(inputs: CompositionInputs): Promise<IpcHandlers> {
  return createSessionHandlers(await composeSessionContext(inputs));
}
