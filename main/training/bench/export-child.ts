// Child process of the export benchmark: one `voicevault export` run (the service, as the command calls it)
// with the pipeline-reader role, then this process's peak RSS, measured here so the parent's memory does not
// count. With --idle it sets up the same reader access and exits without exporting: the baseline RSS of
// Node, the AWS SDK and the Encryption SDK.
import { readDeployment } from '../../aws/deployment';
import { readerAccess } from '../../cli/reader-access';
import { exportDataset } from '../export-service';

const [statePath, out, concurrency, mode] = process.argv.slice(2);
if (!statePath || !out || !concurrency) throw new Error('usage: export-child.ts <state-file> <out-dir> <concurrency> [--idle]');
const deployment = await readDeployment(statePath);
const access = readerAccess(deployment);
const started = performance.now();
const summary =
  mode === '--idle'
    ? undefined
    : await exportDataset({ s3: access.s3, bucket: deployment.bucket, open: access.open, out, concurrency: Number(concurrency) });
const seconds = (performance.now() - started) / 1000;
access.close();
process.stdout.write(`${JSON.stringify({ seconds, exported: summary?.exported ?? 0, rejected: summary?.rejected ?? 0, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
