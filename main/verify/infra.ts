// The infrastructure checks, as `npm run infra:check -- --json` reports them (cdk-nag, cfn-lint, the IAM
// policy matrix, structural pins, alarm walk and mutation tests on the synthesized stack).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface InfraSummary {
  nag_errors: number;
  nag_acknowledged: number;
  cfn_lint_errors: number;
  policy_cases: number;
  policy_structural: number;
  policy_mutations: number;
  policy_failures: number;
}

const keys: (keyof InfraSummary)[] = ['nag_errors', 'nag_acknowledged', 'cfn_lint_errors', 'policy_cases', 'policy_structural', 'policy_mutations', 'policy_failures'];

/** The JSON object on the last non-empty line of its output; throws naming the first key it lacks. */
export function parseInfraSummary(stdout: string): InfraSummary {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(last) as Record<string, unknown>;
  } catch {
    throw new Error(`infra:check printed no JSON summary (last line: ${last.slice(0, 120) || 'nothing'})`);
  }
  for (const key of keys) if (typeof json[key] !== 'number') throw new Error(`infra:check's summary has no number ${key}`);
  return Object.fromEntries(keys.map((k) => [k, json[k]])) as unknown as InfraSummary;
}

export async function runInfraCheck(root: string): Promise<InfraSummary> {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  try {
    const { stdout } = await run(tsx, ['infra/check/run.ts', '--json'], { cwd: root, timeout: 15 * 60_000, maxBuffer: 64 * 2 ** 20 });
    return parseInfraSummary(stdout);
  } catch (error) {
    // It exits 1 when a check fails, still printing its summary: read it; otherwise say why it did not run.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout?.trim()) return parseInfraSummary(stdout);
    throw new Error(`infra:check did not run: ${(stderr ?? (error as Error).message).trim().split('\n').slice(-3).join(' ')}`);
  }
}
