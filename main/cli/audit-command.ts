// `voicevault audit verify [--data-dir <dir>] [--contractor <sub>] [--bucket] [--partition <id>…]`
// Checks this device's hash-chained audit log (edited, removed, reordered lines) and, with --bucket
// and a reviewer's credentials (the SDK's default chain; the emulator's local key pair), that every
// object the contractor has in the bucket names a record of this log as its audit head, with the
// SHA-256 the log recorded: a truncated or rewritten local log shows against the bucket.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { contractorPrefix } from '../../shared/config';
import { isVoiceVaultError, VoiceVaultError } from '../../shared/errors';
import { listAuditedObjects, verifyAgainstBucket, verifyAuditChain } from '../audit';
import { defaultStatePath, deploymentTarget, readDeployment } from '../aws/deployment';
import { emulatorCredentials, s3ClientConfig } from '../aws/target';
import { userDirectory } from '../pipeline/workspace';
import { cliDataDir } from './cli-session';
import { parseCommandArgs, usageError, type CliCommand } from './command';

const usage = 'usage: voicevault audit verify [--data-dir <dir>] [--contractor <sub>] [--bucket [--partition <id>]…] [--state <state-file>] [--json]';

function onlyContractor(dataDir: string): string {
  let users: string[] = [];
  try {
    users = readdirSync(join(dataDir, 'users'));
  } catch {
    // no users folder: nothing was ever ingested here
  }
  if (users.length !== 1) {
    throw new VoiceVaultError('InvalidArgument', users.length === 0 ? `No audit log under ${dataDir}.` : `Several contractors use ${dataDir}; name one with --contractor (${users.join(', ')}).`);
  }
  return users[0]!;
}

export const auditCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    'audit',
    usage,
    args,
    {
      'data-dir': { type: 'string' },
      contractor: { type: 'string' },
      bucket: { type: 'boolean' },
      partition: { type: 'string', multiple: true },
      state: { type: 'string' },
      json: { type: 'boolean' },
    },
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    return usageError(io, 'audit', 'the only verb is verify', usage);
  }
  try {
    const dataDir = values['data-dir'] ?? cliDataDir();
    const contractor = values.contractor ?? onlyContractor(dataDir);
    const chain = await verifyAuditChain(join(userDirectory(dataDir, contractor), 'audit.jsonl'));
    const lines = [`audit log of ${contractor}: ${chain.records.length} records, ${chain.ok ? 'chain intact' : `${chain.problems.length} problems`}`];
    for (const p of chain.problems) lines.push(`  line ${p.line}: ${p.problem}`);
    let bucket: { ok: boolean; checked: number; problems: { key: string; problem: string }[] } | undefined;
    if (values.bucket) {
      const deployment = await readDeployment(values.state ?? defaultStatePath());
      const partitions = new Set(values.partition ?? []);
      for (const record of chain.records) for (const o of record.objects ?? []) partitions.add(o.key.split('/')[1]!);
      const prefixes = [...partitions].flatMap((p) => (['raw', 'features', 'manifest'] as const).map((kind) => contractorPrefix(kind, p, contractor)));
      const s3 = new S3Client(s3ClientConfig({ ...deploymentTarget(deployment), ...(deployment.target === 'emulator' ? { credentials: emulatorCredentials } : {}) }));
      try {
        bucket = verifyAgainstBucket(chain.records, await listAuditedObjects(s3, { bucket: deployment.bucket, prefixes }));
      } finally {
        s3.destroy();
      }
      lines.push(`bucket: ${bucket.checked} objects checked, ${bucket.ok ? 'all named by this log' : `${bucket.problems.length} problems`}`);
      for (const p of bucket.problems) lines.push(`  ${p.key}: ${p.problem}`);
    }
    if (values.json) io.stdout(JSON.stringify({ contractor, chain: { ok: chain.ok, records: chain.records.length, problems: chain.problems }, bucket }));
    else io.stdout(lines.join('\n'));
    return chain.ok && (bucket?.ok ?? true) ? 0 : 1;
  } catch (error) {
    io.stderr(`voicevault audit: ${isVoiceVaultError(error) ? `${error.message} (${error.code})` : (error as Error).message}`);
    return 1;
  }
};
