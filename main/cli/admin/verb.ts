// What every `voicevault admin …` verb shares: the sign-in options, a verb's shape (usage, options,
// run), and the admin session, opened only after the arguments were checked, so a malformed command
// never asks for a password and never changes anything.
import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { VoiceVaultError, isVoiceVaultError } from '../../../shared/errors';
import { assertAdmin, createAdminClients, createAdminService, type AdminService } from '../../admin';
import { defaultStatePath, readDeployment } from '../../aws/deployment';
import { FileSecretStore } from '../../secrets';
import { cliDataDir } from '../cli-session';
import type { CliIo } from '../command';
import { signInFromCli } from '../sign-in';

export const signInOptions = {
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  state: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const signInUsage = `  --user <admin> [--password-stdin]   sign in as a member of the admins group (password on the first line of
                                      standard input, or VOICEVAULT_PASSWORD; never an argument)
  --state <file> --data-dir <dir>     the deployment state file and the local data folder (audit log)
  --json                              machine-readable output`;

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface AdminCliContext {
  io: CliIo;
  values: Values;
  positionals: string[];
  /** Signs in (once) and returns the admin service; refuses anyone outside the admins group. */
  admin(): Promise<AdminService>;
}

export interface AdminVerb {
  /** e.g. "partition create" */
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(context: AdminCliContext): Promise<number>;
}

export class UsageError extends Error {}

export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** `yes` or `no`, for settings that can be switched either way. */
export function yesNo(values: Values, name: string): boolean | undefined {
  const value = text(values, name);
  if (value === undefined) return undefined;
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw new UsageError(`--${name} takes yes or no (got ${JSON.stringify(value)})`);
}

/** A whole number as typed; anything else passes through unchanged so the schema names the problem. */
export function wholeNumber(values: Values, name: string): number | string | undefined {
  const value = text(values, name);
  if (value === undefined) return undefined;
  return /^-?\d{1,9}$/.test(value) ? Number(value) : value;
}

export function exactlyPositionals(context: Pick<AdminCliContext, 'positionals'>, names: string[]): string[] {
  if (context.positionals.length !== names.length) {
    throw new UsageError(context.positionals.length < names.length ? `missing ${names.slice(context.positionals.length).map((n) => `<${n}>`).join(' ')}` : `unexpected ${context.positionals.slice(names.length).join(' ')}`);
  }
  return context.positionals;
}

/** Signs in as an admin; the session's tokens are revoked again when the command ends. */
export async function openAdmin(io: CliIo, values: Values, env: NodeJS.ProcessEnv = process.env): Promise<{ service: AdminService; close(): Promise<void> }> {
  const username = text(values, 'user');
  if (!username) throw new UsageError('missing --user <admin>');
  const deployment = await readDeployment(text(values, 'state') ?? defaultStatePath(env));
  const dataDir = text(values, 'data-dir') ?? cliDataDir(env);
  // Its own key file, so an admin sign-in never replaces a contractor's on the same machine.
  const secretStore = new FileSecretStore(join(dataDir, 'admin', 'secrets'));
  const session = await signInFromCli({ deployment, username, io, env, secretStore, ...(values['password-stdin'] ? { passwordStdin: true } : {}) });
  try {
    assertAdmin(session.claims);
  } catch (error) {
    await session.signOut(false).catch(() => undefined);
    throw error;
  }
  const clients = createAdminClients(deployment, session.credentials);
  const service = createAdminService({ clients, admin: { username: session.claims.username, sub: session.claims.sub, groups: session.claims.groups }, dataDir });
  return {
    service,
    close: async () => {
      await service.close();
      clients.destroy();
      await session.signOut(false).catch(() => undefined);
    },
  };
}

export function errorLine(command: string, error: unknown): string {
  if (isVoiceVaultError(error)) return `voicevault ${command}: ${error.message} (${error.code})`;
  return `voicevault ${command}: ${(error as Error).message}`;
}

export function refuse(code: ConstructorParameters<typeof VoiceVaultError>[0], message: string): never {
  throw new VoiceVaultError(code, message);
}
