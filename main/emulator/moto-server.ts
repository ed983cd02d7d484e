// Starts and stops a real moto server on a free loopback port. Tests, the demo and
// `npm run emulator` use this; each stops only the process it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { VoiceVaultError } from '../../shared/errors';

export interface MotoServer {
  endpoint: string;
  port: number;
  pid: number;
  /** Clears every resource (moto's own reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const command = env.VOICEVAULT_MOTO_SERVER ?? 'moto_server';
  const probe = spawnSync(command, ['--help'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new VoiceVaultError(
      'EmulatorUnavailable',
      `moto_server was not found (looked for '${command}'). Install it with: pip install 'moto[server]'`,
    );
  }
  return command;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new VoiceVaultError('EmulatorUnavailable', `moto_server exited early with code ${child.exitCode}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new VoiceVaultError('EmulatorUnavailable', `moto_server did not answer at ${endpoint} within ${timeoutMs} ms`);
}

export async function startMotoServer(options: { port?: number; timeoutMs?: number; log?: (line: string) => void } = {}): Promise<MotoServer> {
  const command = findMotoServer();
  const port = options.port ?? (await freeLoopbackPort());
  const endpoint = `http://127.0.0.1:${port}`;
  // Like Cognito, moto then checks TOTP codes (against its fixed secret) instead of accepting any.
  const env = { ...process.env, MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: 'true' };
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const log = options.log;
  child.stdout?.on('data', (chunk: Buffer) => log?.(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log?.(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(endpoint, child, options.timeoutMs ?? 20_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new VoiceVaultError('EmulatorUnavailable', `moto reset failed: HTTP ${response.status}`);
    },
    stop,
  };
}
