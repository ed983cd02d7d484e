// For tests: each test file gets its own real moto server, provisioned from the shared config,
// and stops it afterwards. Tests never depend on an emulator left running.
import { afterAll, beforeAll } from 'vitest';
import type { Deployment } from '../aws/deployment';
import type { AwsTarget } from '../aws/target';
import { startProvisionedEmulator } from './local-emulator';
import type { MotoServer } from './moto-server';
import { provisionEmulator } from './provision';

export interface TestEmulator {
  deployment: Deployment;
  /** Admin-level target for assertions (moto accepts any key pair). */
  adminTarget: AwsTarget;
  moto: MotoServer;
  /** Clears everything and provisions again, for files that need a pristine emulator. */
  reprovision(): Promise<void>;
}

export function useTestEmulator(region?: string): () => TestEmulator {
  let emulator: TestEmulator | undefined;
  beforeAll(async () => {
    const { moto, target: adminTarget, deployment } = await startProvisionedEmulator(region);
    const current: TestEmulator = {
      moto,
      adminTarget,
      deployment,
      reprovision: async () => {
        await moto.reset();
        current.deployment = await provisionEmulator({ target: adminTarget });
      },
    };
    emulator = current;
  });
  afterAll(async () => {
    await emulator?.moto.stop();
  });
  return () => {
    if (!emulator) throw new Error('the test emulator is not running (useTestEmulator must be called at file level)');
    return emulator;
  };
}
