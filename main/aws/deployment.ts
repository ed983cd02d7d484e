// The values the app, the CLI and the tests need to find a VoiceVault deployment. The emulator
// writes them to `.voicevault/local.json`; against real AWS they come from the CDK stack outputs.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { VoiceVaultError } from '../../shared/errors';
import type { AwsTarget } from './target';

const demoUserSchema = z.object({
  username: z.string(),
  password: z.string(),
  role: z.enum(['contractor', 'admin']),
  partition: z.string().optional(),
});

export const deploymentSchema = z.object({
  target: z.enum(['emulator', 'aws']),
  /** The AWS account every ARN and the bucket must name; when absent, the envelope key's account. */
  account: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id').optional(),
  /** Absent for real AWS: the SDK resolves endpoints itself. */
  endpoint: z.string().url().optional(),
  region: z.string().min(1),
  userPoolId: z.string().min(1),
  userPoolClientId: z.string().min(1),
  identityPoolId: z.string().min(1),
  envelopeKeyArn: z.string().min(1),
  storageKeyArn: z.string().min(1),
  bucket: z.string().min(1),
  /** Local-only demo accounts; never present for a real deployment. */
  demoUsers: z.array(demoUserSchema).default([]),
});

export type Deployment = z.infer<typeof deploymentSchema>;
export type DemoUser = z.infer<typeof demoUserSchema>;

export function defaultStatePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env.VOICEVAULT_STATE ?? '.voicevault/local.json');
}

/** `advice` ends each message: how to get a good file (the emulator's or a packaged one). */
export async function readDeployment(path: string, advice = 'Start the local emulator with: npm run emulator'): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new VoiceVaultError('StateFileMissing', `No VoiceVault state file at ${path}. ${advice}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VoiceVaultError('StateFileMissing', `The state file ${path} is not JSON. ${advice}`);
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new VoiceVaultError('StateFileMissing', `The state file ${path} is not valid (${field}${issue?.message ?? 'unknown problem'}). ${advice}`);
  }
  return parsed.data;
}

/** Written atomically and readable by the user only: it holds local demo passwords. */
export async function writeDeployment(path: string, deployment: Deployment): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(deployment, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export function deploymentTarget(deployment: Deployment): AwsTarget {
  return deployment.endpoint ? { region: deployment.region, endpoint: deployment.endpoint } : { region: deployment.region };
}
