// `voicevault <command> …`: the headless shell over the same pipeline services the app uses.
import { processIo, type CliCommand, type CliIo } from './command';

const commands: Record<string, { summary: string; run: () => Promise<CliCommand> }> = {
  features: { summary: 'quality report and stored features of an audio file', run: async () => (await import('./features-command')).featuresCommand },
  ingest: { summary: 'seal and upload audio files as a contractor', run: async () => (await import('./ingest-command')).ingestCommand },
  decrypt: { summary: 'open one sealed object as the training side', run: async () => (await import('./decrypt-command')).decryptCommand },
  audit: { summary: 'verify the local audit chain (and, with --bucket, against the bucket)', run: async () => (await import('./audit-command')).auditCommand },
  export: { summary: 'write a verified training dataset from the sealed features (pipeline-reader role)', run: async () => (await import('./export-command')).exportCommand },
  admin: { summary: 'partitions, membership, lifecycle, revoke and erase, access review (admins only)', run: async () => (await import('./admin-command')).adminCommand },
  demo: { summary: 'the whole journey on a local AWS emulator (npm run demo)', run: async () => (await import('./demo-command')).demoCommand },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return ['usage: voicevault <command> [options]', '', 'commands:', ...lines].join('\n');
}

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`voicevault: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  return (await command.run())(args, io);
}
