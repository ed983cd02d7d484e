// A CLI command is a function of its arguments and its output streams, so tests run it in-process.
import { parseArgs, type ParseArgsConfig } from 'node:util';
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads standard input to the end (passwords come this way, never as arguments). */
  readStdin: () => Promise<string>;
  /** Standard error is a terminal that can redraw progress bars (absent: it is not). */
  stderrIsTerminal?: boolean;
}

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stderrIsTerminal: process.stderr.isTTY === true,
};

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
const helpOption = { help: { type: 'boolean', short: 'h' } } as const;
type Parsed<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof helpOption }>>;

/** A usage error as every command prints it ("voicevault <command>: <problem>", then the usage); returns exit code 2. */
export function usageError(io: CliIo, command: string, problem: string, usage?: string): number {
  io.stderr(usage === undefined ? `voicevault ${command}: ${problem}` : `voicevault ${command}: ${problem}\n${usage}`);
  return 2;
}

/**
 * Parses a command's arguments with node's parseArgs (plus -h/--help). Returns the parsed values, or the
 * exit code when there is nothing more to do: 0 after printing the usage for --help, 2 after a usage error.
 */
export function parseCommandArgs<O extends OptionsConfig>(command: string, usage: string, args: string[], options: O, io: CliIo): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...options, ...helpOption } });
  } catch (error) {
    return usageError(io, command, (error as Error).message, usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}
