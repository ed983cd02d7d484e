// `npm start`: a development build of the app against an embedded local emulator. It builds the
// bundles, starts and provisions a moto server, writes its deployment to .voicevault/dev-app.json
// (user-only: it holds the local demo passwords) and runs Electron on the repo (app.isPackaged is
// false, so the trusted-deployment loader accepts the emulator). Ctrl-C or closing the window stops
// everything.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDeployment } from '../aws/deployment';
import { startProvisionedEmulator } from '../emulator/local-emulator';
import { electronBinary, noElectronBinary } from './binary';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function main(): Promise<number> {
  const binary = electronBinary();
  if (!binary) {
    console.error(`npm start: ${noElectronBinary}`);
    console.error('Meanwhile the renderer runs in Chromium against the same services: npm run test:e2e.');
    return 1;
  }
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;

  const { moto, deployment } = await startProvisionedEmulator();
  const statePath = join(repoRoot, '.voicevault', 'dev-app.json');
  await writeDeployment(statePath, deployment);
  console.log(`Local emulator at ${moto.endpoint}; demo users ${deployment.demoUsers.map((u) => u.username).join(', ')} (passwords in ${statePath}).`);

  const app = spawn(binary, [repoRoot], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, VOICEVAULT_STATE: statePath } });
  const stop = () => app.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await new Promise<number>((resolve) => app.on('exit', (exitCode) => resolve(exitCode ?? 0)));
  await moto.stop();
  return code;
}

process.exitCode = await main();
