// A moto server provisioned from the shared config, as the tests (Vitest and Playwright) use it.
import { voiceVaultConfig } from '../../shared/config';
import type { Deployment } from '../aws/deployment';
import { emulatorCredentials, type AwsTarget } from '../aws/target';
import { startMotoServer, type MotoServer } from './moto-server';
import { provisionEmulator } from './provision';

/** Admin-level access to an emulator: moto accepts any key pair, and a fixed one keeps real profiles out. */
export function emulatorTarget(endpoint: string, region: string = voiceVaultConfig.defaultRegion): AwsTarget {
  return { region, endpoint, credentials: emulatorCredentials };
}

export interface ProvisionedEmulator {
  moto: MotoServer;
  target: AwsTarget;
  deployment: Deployment;
}

export async function startProvisionedEmulator(region?: string): Promise<ProvisionedEmulator> {
  const moto = await startMotoServer();
  const target = emulatorTarget(moto.endpoint, region);
  try {
    return { moto, target, deployment: await provisionEmulator({ target }) };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}
