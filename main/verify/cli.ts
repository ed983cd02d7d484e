// `npm run verify [-- --json]`: the evidence behind VoiceVault's security and reliability claims, with
// figures. Run it after the tests (npm test runs it last): it reads their reports. Prints a table, or with
// --json one object on the last line; exits 1 when a must-be-zero figure is not zero, a figure that must
// be measured is unknown, or a threat has no passing test.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { collectFigures } from './collect';
import { reportsDir } from './test-reports';
import { judge, renderTable, toJson } from './figures';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function main(): Promise<number> {
  // Node 20 is end-of-life and the AWS SDK says so on every client; the README records it once.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const asJson = process.argv.includes('--json');
  // Progress goes to stderr, so that stdout is only the table or the JSON line.
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const reports = reportsDir(root);
  const figures = await collectFigures(root, reports, log);
  const verdicts = judge(figures);
  const json = toJson(figures, verdicts);
  await writeFile(join(reports, 'verify.json'), `${JSON.stringify({ ...json, details: figures }, null, 2)}\n`);
  if (asJson) process.stdout.write(`${JSON.stringify(json)}\n`);
  else {
    process.stdout.write(`${renderTable(figures, verdicts)}\n`);
    const failing = verdicts.filter((v) => !v.ok);
    process.stdout.write(failing.length === 0 ? 'verify: every figure holds.\n' : `verify: ${failing.length} figures do not hold (details in ${relative(root, reports)}/verify.json).\n`);
  }
  return verdicts.every((v) => v.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
