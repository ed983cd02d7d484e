// `voicevault demo [audio-files…] [--json] [--endpoint <url>] [--aws --user <name>]` (= `npm run demo`).
// Without --endpoint (or AWS_ENDPOINT_URL) it starts the embedded moto server; it never touches a
// real account unless --aws is given explicitly (an existing ~/.aws profile alone does not count).
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVoiceVaultError, VoiceVaultError } from '../../shared/errors';
import { defaultStatePath, readDeployment } from '../aws/deployment';
import { runDemo, type DemoReport } from '../demo/run-demo';
import { parseCommandArgs, usageError, type CliCommand } from './command';

const usage = `usage: voicevault demo [audio-files…] [--json] [--endpoint <url>] [--aws --user <name> [--password-stdin]]
  Starts a local AWS emulator (or uses --endpoint / AWS_ENDPOINT_URL), signs in as the demo contractor,
  seals and uploads the demo clips, decrypts one features object as the training side and searches the
  wire and the data directory for plaintext.`;

/** This file's folder, in the ESM source (tsx) and in the CommonJS bundle alike. */
function moduleDirectory(): string {
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

/** The repository (or installed package) root: the folder above this file holding package.json. */
export function packageRoot(from: string = moduleDirectory()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'shared', 'reference'))) return dir;
    if (dirname(dir) === dir) throw new VoiceVaultError('Internal', 'Cannot find the VoiceVault folder with the demo clips.');
  }
}

/** Three speech clips that pass the demo partition's requirements and one noise clip that does not. */
export function demoClips(root = packageRoot()): string[] {
  return ['speech_en_16k.wav', 'speech_de_22k.wav', 'speech_en_22k.wav', 'noise_16k.wav'].map((name) => join(root, 'shared', 'reference', 'audio', name));
}

function summary(report: DemoReport): string {
  const lines = [`VoiceVault demo against ${report.endpoint}`];
  for (const s of report.samples) {
    const file = relative(process.cwd(), s.file) || s.file;
    if (!s.quality.pass) {
      lines.push(`  ✗ ${file}: rejected before sealing — ${s.quality.reasons.join('; ')}`);
      continue;
    }
    lines.push(`  ✓ ${file} → sample ${s.sample}`);
    for (const o of s.objects) lines.push(`      ${o.key}  ${o.bytes} bytes  sha256 ${o.sha256}  ${o.sse}`);
  }
  lines.push(`plaintext windows found (${report.plaintext_leaks_where.join(', ')}): ${report.plaintext_leaks ?? 'not searched'}`);
  lines.push(
    report.decrypt_check
      ? `training side: ${report.decrypt_check.key} decrypted ${report.decrypt_check.equal ? 'and equal to the local features' : 'but DIFFERENT from the local features'}`
      : 'training side: nothing to decrypt',
  );
  return lines.join('\n');
}

export const demoCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    'demo',
    usage,
    args,
    {
      json: { type: 'boolean' },
      endpoint: { type: 'string' },
      aws: { type: 'boolean' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      state: { type: 'string' },
    },
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.aws && values.endpoint) return usageError(io, 'demo', '--aws and --endpoint exclude each other');
  if (values.aws && !values.user) return usageError(io, 'demo', '--aws needs --user <name> (and the password on stdin or in VOICEVAULT_PASSWORD)');
  const log = (line: string): void => (values.json ? io.stderr(line) : io.stdout(line));
  try {
    const endpoint = values.endpoint ?? (values.aws ? undefined : process.env.AWS_ENDPOINT_URL);
    const aws = values.aws ? { deployment: await readDeployment(values.state ?? defaultStatePath()), username: values.user! } : undefined;
    if (aws && aws.deployment.target !== 'aws') throw new VoiceVaultError('InvalidArgument', 'With --aws the state file must describe a real deployment (target "aws").');
    const report = await runDemo({
      files: positionals.length > 0 ? positionals : demoClips(),
      io,
      env: process.env,
      log,
      ...(endpoint ? { endpoint } : {}),
      ...(aws ? { aws } : {}),
    });
    if (values.json) io.stdout(JSON.stringify(report));
    else io.stdout(summary(report));
    const ok = report.plaintext_leaks === 0 && report.decrypt_check?.equal === true && report.samples.some((s) => s.objects.length > 0);
    return ok ? 0 : 1;
  } catch (error) {
    io.stderr(`voicevault demo: ${isVoiceVaultError(error) ? `${error.message} (${error.code})` : (error as Error).message}`);
    return 1;
  }
};
