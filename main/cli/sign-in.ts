// The CLI's sign-in, used by every command that acts as a contractor. The password comes from the
// first line of standard input (--password-stdin) or VOICEVAULT_PASSWORD, never from an argument;
// whatever else the user pool asks for (a new password, TOTP enrolment, a TOTP code) is read from
// the following lines, with a prompt on stderr. Errors are VoiceVaultErrors in plain words.
import { createInterface } from 'node:readline';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import type { Deployment } from '../aws/deployment';
import { UserPoolSession, UserPoolSignIn, createIdentityServices, passwordPolicyWords, type PasswordFlow, type SignInProgress } from '../identity';
import type { SecretStore } from '../secrets';
import type { ActiveSession } from '../session/context';
import { processIo, type CliIo } from './command';

/** Reads one line of standard input at a time; undefined once it has ended. */
export interface LineReader {
  readLine(): Promise<string | undefined>;
  close?(): void;
}

export interface SignInFromCliOptions {
  deployment: Deployment;
  username: string;
  io: CliIo & Partial<LineReader>;
  env: NodeJS.ProcessEnv;
  secretStore: SecretStore;
  /** true: the first stdin line; false: VOICEVAULT_PASSWORD only; absent: the variable if set, else stdin. */
  passwordStdin?: boolean;
  now?: () => number;
  /** Tests force SRP on the emulator, whose client also allows USER_PASSWORD_AUTH. */
  flow?: PasswordFlow;
}

/** How many times a wrong code or a rejected new password may be typed again. */
const attempts = 3;

export async function signInFromCli(options: SignInFromCliOptions): Promise<ActiveSession> {
  const { io, username } = options;
  const lines = lineReaderFor(io);
  try {
    const password = await readPassword(options, lines);
    const services = createIdentityServices({ deployment: options.deployment, secretStore: options.secretStore, ...(options.now ? { now: options.now } : {}) });
    const flow = new UserPoolSignIn(services);
    let progress = await flow.start(username, password, options.flow);
    while (progress.step !== 'tokens') progress = await answer(progress, flow, io, lines);
    return await UserPoolSession.start(services, progress.tokens);
  } finally {
    lines.close?.();
  }
}

async function readPassword(options: SignInFromCliOptions, lines: LineReader): Promise<string> {
  const fromEnv = options.env.VOICEVAULT_PASSWORD;
  if (options.passwordStdin === false || (options.passwordStdin === undefined && fromEnv)) {
    if (!fromEnv) throw new VoiceVaultError('InvalidArgument', 'No password: set VOICEVAULT_PASSWORD, or pass --password-stdin and give it on the first line of standard input.');
    return fromEnv;
  }
  const line = await lines.readLine();
  if (!line) throw new VoiceVaultError('InvalidArgument', 'No password: give it on the first line of standard input (--password-stdin), or set VOICEVAULT_PASSWORD.');
  return line;
}

async function answer(progress: Exclude<SignInProgress, { step: 'tokens' }>, flow: UserPoolSignIn, io: CliIo, lines: LineReader): Promise<SignInProgress> {
  switch (progress.step) {
    case 'newPasswordRequired':
      io.stderr(`Your account needs a new password (${passwordPolicyWords}). Type it on the next line:`);
      return retry(io, lines, 'a new password', (line) => flow.completeNewPassword(line));
    case 'mfaSetup':
      io.stderr(
        [
          'Your account needs an authenticator app. Add this account to it (most apps can open the link, or type the key):',
          `  ${progress.otpauthUri}`,
          `  key: ${progress.secret}`,
          'Then type the six-digit code it shows on the next line:',
        ].join('\n'),
      );
      return retry(io, lines, 'the code from your authenticator app', (line) => flow.verifyMfaSetup(sixDigits(line)));
    case 'mfaCode':
      io.stderr('Type the six-digit code from your authenticator app on the next line:');
      return retry(io, lines, 'the code from your authenticator app', (line) => flow.submitMfaCode(sixDigits(line)));
  }
}

/** A wrong code or a rejected password may be typed again (the prompt says why); anything else ends the sign-in. */
async function retry(io: CliIo, lines: LineReader, what: string, submit: (line: string) => Promise<SignInProgress>): Promise<SignInProgress> {
  for (let attempt = 1; ; attempt += 1) {
    const line = await lines.readLine();
    if (line === undefined) throw new VoiceVaultError('InvalidArgument', `The sign-in needs ${what}, but standard input ended.`);
    try {
      return await submit(line);
    } catch (error) {
      const again = isVoiceVaultError(error) && (error.code === 'WrongCode' || error.code === 'PasswordRejected') && attempt < attempts;
      if (!again) throw error;
      io.stderr(`${error.message} Type it again on the next line:`);
    }
  }
}

function sixDigits(line: string): string {
  const code = line.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) throw new VoiceVaultError('WrongCode', 'A code is six digits.');
  return code;
}

/** Lines from a string (what a test or a pipe supplies). */
export function linesOf(text: string): LineReader {
  const queue = text.split(/\r?\n/);
  if (queue.at(-1) === '') queue.pop();
  return { readLine: async () => queue.shift() };
}

/** One line at a time from the process's stdin, so a person can answer each prompt as it comes. */
export function stdinLineReader(input: NodeJS.ReadableStream = process.stdin): LineReader {
  const rl = createInterface({ input, terminal: false });
  const iterator = rl[Symbol.asyncIterator]();
  return {
    readLine: async () => {
      const next = await iterator.next();
      return next.done ? undefined : next.value;
    },
    close: () => rl.close(),
  };
}

function lineReaderFor(io: SignInFromCliOptions['io']): LineReader {
  const readLine = io.readLine;
  if (readLine) return { readLine: () => readLine.call(io) };
  if (io.readStdin === processIo.readStdin) return stdinLineReader();
  // Any other CliIo only offers all of stdin at once: read it when the first line is needed.
  let lines: LineReader | undefined;
  return {
    readLine: async () => {
      lines ??= linesOf(await io.readStdin());
      return lines.readLine();
    },
  };
}
