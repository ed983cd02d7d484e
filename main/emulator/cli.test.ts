// `npm run emulator` as a user runs it: it starts its own moto and provisions it, a second run while it is up
// provisions the same server again and exits, and Ctrl-C (SIGINT to its process group, as a terminal sends
// it) stops its moto and nothing else: another moto server started beside it keeps answering.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startMotoServer, type MotoServer } from './moto-server';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'voicevault-emulator-cli-'));
const statePath = join(dir, 'state', 'local.json');
const env: NodeJS.ProcessEnv = { ...process.env, VOICEVAULT_STATE: statePath };
delete env.AWS_ENDPOINT_URL;

let first: ChildProcess | undefined;
let bystander: MotoServer | undefined;
afterAll(async () => {
  // Only what this file started: the CLI's process group (if a test failed before stopping it) and the bystander.
  if (first?.pid && first.exitCode === null && first.signalCode === null) process.kill(-first.pid, 'SIGTERM');
  await bystander?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; output:\n${output}`));
    });
  });
}

const readState = (): { endpoint: string; bucket: string; demoUsers: { username: string; password: string }[] } =>
  JSON.parse(readFileSync(statePath, 'utf8')) as { endpoint: string; bucket: string; demoUsers: { username: string; password: string }[] };

describe('npm run emulator', () => {
  let endpoint = '';
  let motoPid = 0;

  it('starts its own moto, provisions it, writes the state file and keeps running', async () => {
    bystander = await startMotoServer();
    // Detached: its own process group, so the test can signal the group the way a terminal's Ctrl-C does.
    first = spawn(process.execPath, ['--import', 'tsx', cli], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = await waitForOutput(first, /Press Ctrl-C to stop\./, 120_000);
    motoPid = Number(/moto_server \(pid (\d+)\)/.exec(output)?.[1]);
    expect(motoPid).toBeGreaterThan(0);
    expect(alive(motoPid)).toBe(true);
    const state = readState();
    endpoint = state.endpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoint).not.toBe(bystander.endpoint);
    expect(await answers(endpoint)).toBe(true);
    expect(state.demoUsers.map((u) => u.username).sort()).toEqual(['ada', 'admin', 'grace']);
  }, 150_000);

  it('provisions the running emulator again when run a second time, and exits', async () => {
    const before = readState();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli], { cwd: repoRoot, env, timeout: 120_000 });
    expect(stdout).toContain(`An emulator already answers at ${endpoint}; provisioning it again.`);
    const after = readState();
    expect(after.endpoint).toBe(endpoint);
    expect(after.bucket).toBe(before.bucket);
    // The demo users keep their passwords, so a signed-in session or a note of them stays valid.
    expect(after.demoUsers).toEqual(before.demoUsers);
    expect(alive(motoPid)).toBe(true);
  }, 150_000);

  it('stops its own moto on Ctrl-C and leaves another moto server running', async () => {
    const child = first!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    const deadline = Date.now() + 10_000;
    while (alive(motoPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(motoPid)).toBe(false);
    expect(await answers(endpoint)).toBe(false);
    expect(await answers(bystander!.endpoint)).toBe(true);
  }, 60_000);
});
