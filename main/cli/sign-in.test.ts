// The CLI's sign-in against moto with MFA required: the password and every answer come from stdin
// lines (or the password from VOICEVAULT_PASSWORD), prompts go to stderr, errors are plain words.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { AdminCreateUserCommand, CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP, URI } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../aws/target';
import { useTestEmulator } from '../emulator/test-emulator';
import { FileSecretStore, MemorySecretStore } from '../secrets';
import type { CliIo } from './command';
import { linesOf, signInFromCli, stdinLineReader, type LineReader } from './sign-in';

const emulator = useTestEmulator();

beforeAll(async () => {
  const { adminTarget, deployment } = emulator();
  const admin = new CognitoIdentityProviderClient(clientConfig(adminTarget));
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: deployment.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  for (const username of ['noor', 'omar']) {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: deployment.userPoolId,
        Username: username,
        TemporaryPassword: 'Temporary-Pass-123!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${username}@voicevault.local` },
          { Name: 'custom:partition', Value: 'demo' },
        ],
      }),
    );
  }
  admin.destroy();
});

/** A CliIo whose stdin is the given lines, recording what the command printed. */
function terminal(lines: LineReader) {
  const err: string[] = [];
  const io: CliIo & LineReader = {
    stdout: () => undefined,
    stderr: (text) => err.push(text),
    readStdin: async () => {
      throw new Error('the sign-in must read line by line');
    },
    readLine: () => lines.readLine(),
  };
  return { io, err };
}

function password(username: string): string {
  return emulator().deployment.demoUsers.find((u) => u.username === username)!.password;
}

/** moto's fixed TOTP secret, as a fresh enrolment reveals it; read from the prompt like a user would. */
function secretFromPrompt(err: string[]): string {
  const uri = err.join('\n').match(/otpauth:\/\/\S+/)?.[0];
  if (!uri) throw new Error('no otpauth URI was shown');
  return URI.parse(uri).secret.base32;
}

async function codeFor(secret: string, offsetSteps = 0): Promise<string> {
  const into = Date.now() % 30_000;
  if (offsetSteps === 0 && into > 22_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 250));
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

describe('signInFromCli', () => {
  it('reads the password from the first stdin line and keeps the refresh token in the key-file store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vv-cli-secrets-'));
    const { io, err } = terminal(linesOf(`${password('ada')}\n`));
    const session = await signInFromCli({ deployment: emulator().deployment, username: 'ada', io, env: {}, secretStore: new FileSecretStore(dir), passwordStdin: true });
    expect(session.claims).toMatchObject({ username: 'ada', partition: 'demo' });
    expect(err).toEqual([]);
    expect(await readdir(dir)).toContain('cognito-refresh-token.secret');
    await session.signOut(false);
    expect(await readdir(dir)).not.toContain('cognito-refresh-token.secret');
  });

  it('takes VOICEVAULT_PASSWORD when --password-stdin is not given', async () => {
    const { io } = terminal(linesOf(''));
    const session = await signInFromCli({ deployment: emulator().deployment, username: 'grace', io, env: { VOICEVAULT_PASSWORD: password('grace') }, secretStore: new MemorySecretStore() });
    expect(session.claims.username).toBe('grace');
  });

  it('says how to give a password when there is none, and that a wrong one is wrong', async () => {
    const none = signInFromCli({ deployment: emulator().deployment, username: 'ada', io: terminal(linesOf('')).io, env: {}, secretStore: new MemorySecretStore() });
    await expect(none).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/--password-stdin.*VOICEVAULT_PASSWORD/) });
    const wrong = signInFromCli({ deployment: emulator().deployment, username: 'ada', io: terminal(linesOf('Not-her-password-1!\n')).io, env: {}, secretStore: new MemorySecretStore(), passwordStdin: true });
    await expect(wrong).rejects.toMatchObject({ code: 'WrongPassword', message: expect.stringContaining('user name or password is wrong') });
  });

  it('answers a first sign-in from the following lines: new password, then authenticator enrolment (a wrong code first)', async () => {
    // The secret is moto's fixed one; learn it from an enrolment prompt that is then abandoned.
    const probe = terminal(linesOf('Temporary-Pass-123!\nNoor-chose-this-1!\n'));
    await expect(signInFromCli({ deployment: emulator().deployment, username: 'noor', io: probe.io, env: {}, secretStore: new MemorySecretStore(), passwordStdin: true, flow: 'USER_SRP_AUTH' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('standard input ended'),
    });
    expect(probe.err.join('\n')).toMatch(/new password \(at least 14 characters/);
    const secret = secretFromPrompt(probe.err);

    // moto keeps the new password from the abandoned attempt, as Cognito does.
    const right = await codeFor(secret);
    const wrong = await codeFor(secret, -20);
    const { io, err } = terminal(linesOf(`Noor-chose-this-1!\n${wrong}\n${right}\n`));
    const session = await signInFromCli({ deployment: emulator().deployment, username: 'noor', io, env: {}, secretStore: new MemorySecretStore(), passwordStdin: true, flow: 'USER_SRP_AUTH' });
    expect(session.claims.username).toBe('noor');
    expect(err.join('\n')).toContain('that code is not right');
  });

  it('lets a person answer each prompt as it appears on an interactive stdin', async () => {
    const stdin = new PassThrough();
    const lines = stdinLineReader(stdin);
    const { io, err } = terminal(lines);
    const answered = signInFromCli({ deployment: emulator().deployment, username: 'omar', io, env: {}, secretStore: new MemorySecretStore(), passwordStdin: true, flow: 'USER_SRP_AUTH' });
    const prompt = async (pattern: RegExp): Promise<void> => {
      for (let i = 0; i < 200 && !pattern.test(err.join('\n')); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(err.join('\n')).toMatch(pattern);
    };
    stdin.write('Temporary-Pass-123!\n');
    await prompt(/new password/);
    stdin.write('Omar-chose-this-1!\n');
    await prompt(/otpauth:\/\//);
    stdin.write(`${await codeFor(secretFromPrompt(err))}\n`);
    expect((await answered).claims.username).toBe('omar');

    // Later sign-ins ask for a code only.
    const again = terminal(linesOf(`Omar-chose-this-1!\n${await codeFor(secretFromPrompt(err))}\n`));
    const session = await signInFromCli({ deployment: emulator().deployment, username: 'omar', io: again.io, env: {}, secretStore: new MemorySecretStore(), passwordStdin: true });
    expect(session.claims.username).toBe('omar');
    expect(again.err.join('\n')).toContain('six-digit code from your authenticator app');
  });
});
