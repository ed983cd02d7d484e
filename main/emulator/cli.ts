// `npm run emulator`: a local AWS for VoiceVault. Starts moto on a free loopback port, provisions it
// from the shared config, writes the state file and runs until Ctrl-C. If the state file points at
// an emulator that still answers, it provisions that one again (idempotent) and exits. With
// AWS_ENDPOINT_URL set (e.g. a LocalStack plan) it provisions that endpoint and starts nothing.
import { voiceVaultConfig } from '../../shared/config';
import { isVoiceVaultError } from '../../shared/errors';
import { defaultStatePath, readDeployment, writeDeployment, type Deployment } from '../aws/deployment';
import type { AwsTarget } from '../aws/target';
import { emulatorTarget } from './local-emulator';
import { startMotoServer } from './moto-server';
import { provisionEmulator } from './provision';

async function previousDeployment(path: string): Promise<Deployment | undefined> {
  try {
    return await readDeployment(path);
  } catch {
    return undefined;
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function describe(deployment: Deployment, statePath: string): string {
  const users = deployment.demoUsers.map((u) => `${u.username} (${u.role}${u.partition ? `, partition ${u.partition}` : ''})`);
  return [
    `VoiceVault local AWS emulator at ${deployment.endpoint ?? '(SDK default endpoint)'} (${deployment.region})`,
    `  state file: ${statePath} (demo passwords are in it, readable by you only)`,
    `  bucket: ${deployment.bucket}`,
    `  demo users: ${users.join(', ')}`,
  ].join('\n');
}

async function provisionAndSave(target: AwsTarget, statePath: string, previous?: Deployment): Promise<Deployment> {
  const deployment = await provisionEmulator({
    target,
    ...(previous ? { previousDemoUsers: previous.demoUsers } : {}),
    log: (line) => console.log(`  ${line}`),
  });
  await writeDeployment(statePath, deployment);
  return deployment;
}

async function main(): Promise<number> {
  const statePath = defaultStatePath();
  const region = process.env.AWS_REGION ?? voiceVaultConfig.defaultRegion;
  const previous = await previousDeployment(statePath);

  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    console.log(`Provisioning the emulator at AWS_ENDPOINT_URL=${external}`);
    const deployment = await provisionAndSave({ region, endpoint: external }, statePath, previous);
    console.log(describe(deployment, statePath));
    return 0;
  }

  if (previous?.endpoint && (await answers(previous.endpoint))) {
    console.log(`An emulator already answers at ${previous.endpoint}; provisioning it again.`);
    const deployment = await provisionAndSave(emulatorTarget(previous.endpoint, previous.region), statePath, previous);
    console.log(describe(deployment, statePath));
    return 0;
  }

  const moto = await startMotoServer();
  console.log(`Started moto_server (pid ${moto.pid}) at ${moto.endpoint}; provisioning it.`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the emulator (pid ${moto.pid})`);
    void moto.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    const deployment = await provisionAndSave(emulatorTarget(moto.endpoint, region), statePath, previous);
    console.log(describe(deployment, statePath));
    console.log('Press Ctrl-C to stop.');
  } catch (error) {
    await moto.stop();
    throw error;
  }
  return new Promise<number>(() => undefined); // runs until a signal arrives
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`emulator: ${isVoiceVaultError(error) ? error.message : error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
