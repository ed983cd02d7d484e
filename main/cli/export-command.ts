// `voicevault export --out <dir> [--partition p] [--since <ISO time>] [--shard i/n|env/n] [--concurrency k] [--state <file>] [--json]`
// The training side: with the pipeline-reader role, turns the sealed features in the bucket into a verified
// dataset under <dir> (see main/training). Exits 1 when a sample was rejected or the export stopped, 2 on usage.
import { Presets, SingleBar } from 'cli-progress';
import { isVoiceVaultError } from '../../shared/errors';
import { defaultStatePath, readDeployment } from '../aws/deployment';
import { defaultConcurrency, exportDataset, parseShard, type ExportProgress, type ExportSummary, type Shard } from '../training';
import { parseCommandArgs, usageError, type CliCommand, type CliIo } from './command';
import { readerAccess } from './reader-access';

const usage = `usage: voicevault export --out <dir> [--partition <id>] [--since <ISO time>] [--shard i/n | env/n] [--concurrency k] [--state <state-file>] [--json]
  --shard env/n   the shard index from AWS_BATCH_JOB_ARRAY_INDEX (or JOB_COMPLETION_INDEX) of an n-way array job
  --concurrency   samples fetched and decrypted at once (default ${defaultConcurrency})`;

interface ExportArgs {
  out: string;
  partition?: string;
  since?: Date;
  shard?: Shard;
  concurrency?: number;
  state?: string;
  json: boolean;
}

function parse(args: string[], env: NodeJS.ProcessEnv, io: CliIo): ExportArgs | number {
  const parsed = parseCommandArgs(
    'export',
    usage,
    args,
    {
      out: { type: 'string' },
      partition: { type: 'string' },
      since: { type: 'string' },
      shard: { type: 'string' },
      concurrency: { type: 'string' },
      state: { type: 'string' },
      json: { type: 'boolean' },
    },
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const problem = (text: string): number => usageError(io, 'export', text, usage);
  if (positionals.length > 0) return problem(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.out) return problem('missing --out <dir>');
  const out: ExportArgs = { out: values.out, json: values.json ?? false };
  if (values.partition !== undefined) out.partition = values.partition;
  if (values.state !== undefined) out.state = values.state;
  if (values.since !== undefined) {
    // An ISO date or date-time; Date alone would also take "March 3" and guess.
    const since = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(values.since) ? new Date(values.since) : undefined;
    if (!since || Number.isNaN(since.getTime())) return problem(`--since ${JSON.stringify(values.since)} is not an ISO date or time (e.g. 2026-05-01 or 2026-05-01T12:00:00Z)`);
    out.since = since;
  }
  if (values.concurrency !== undefined) {
    if (!/^\d+$/.test(values.concurrency)) return problem(`--concurrency ${JSON.stringify(values.concurrency)} is not a whole number`);
    out.concurrency = Number(values.concurrency);
  }
  if (values.shard !== undefined) {
    try {
      out.shard = parseShard(values.shard, env);
    } catch (error) {
      return problem((error as Error).message);
    }
  }
  return out;
}

function describe(summary: ExportSummary): string {
  const parts = [
    `${summary.exported} exported`,
    `${summary.already_exported} already there`,
    `${summary.rejected} rejected`,
    ...(summary.deletion_records > 0 ? [`${summary.erased} erased by ${summary.deletion_records} deletion records (${summary.removed} removed here)`] : []),
    ...(summary.skipped > 0 ? [`${summary.skipped} skipped (shard, --since or erased)`] : []),
  ];
  return `export ${summary.shard}: ${parts.join(', ')}; ${summary.listed} manifests listed, ${summary.objects_fetched} objects fetched in ${summary.seconds.toFixed(1)} s → ${summary.out}`;
}

/** A bar on an interactive terminal only; it starts with the first listing page and grows with the listing. */
function progressBar(io: CliIo, json: boolean): { update: (progress: ExportProgress) => void; stop: () => void } {
  if (json || io.stderrIsTerminal !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: ' {bar} {value}/{total} samples | {exported} exported, {rejected} rejected', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: ({ listed, settled, exported, rejected }) => {
      if (!started && listed > 0) {
        bar.start(listed, 0, { exported: 0, rejected: 0 });
        started = true;
      }
      if (!started) return;
      bar.setTotal(listed);
      bar.update(settled, { exported, rejected });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export const exportCommand: CliCommand = async (args, io) => {
  const parsed = parse(args, process.env, io);
  if (typeof parsed === 'number') return parsed;
  let access;
  const bar = progressBar(io, parsed.json);
  try {
    const deployment = await readDeployment(parsed.state ?? defaultStatePath());
    access = readerAccess(deployment);
    const summary = await exportDataset({
      s3: access.s3,
      bucket: deployment.bucket,
      open: access.open,
      out: parsed.out,
      ...(parsed.partition !== undefined ? { partition: parsed.partition } : {}),
      ...(parsed.since ? { since: parsed.since } : {}),
      ...(parsed.shard ? { shard: parsed.shard } : {}),
      ...(parsed.concurrency !== undefined ? { concurrency: parsed.concurrency } : {}),
      onProgress: (progress) => bar.update(progress),
    });
    bar.stop();
    if (parsed.json) io.stdout(JSON.stringify(summary));
    else {
      io.stdout(describe(summary));
      for (const row of summary.rejected_examples) io.stdout(`  rejected ${row.key} (${row.check}): ${row.reason}`);
      if (summary.rejected > summary.rejected_examples.length) io.stdout(`  … all ${summary.rejected} in ${parsed.out}/rejected.jsonl`);
    }
    return summary.rejected > 0 ? 1 : 0;
  } catch (error) {
    bar.stop();
    io.stderr(`voicevault export: ${isVoiceVaultError(error) ? `${error.message} (${error.code})` : (error as Error).message}`);
    return 1;
  } finally {
    access?.close();
  }
};
