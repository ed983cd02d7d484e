// Turn the stack outputs into the app's state file (`.voicevault/<name>.json`, target aws).
//   cd infra && npx cdk deploy --outputs-file ../cdk-outputs.json
//   cd .. && npx tsx infra/bin/state-file.ts cdk-outputs.json .voicevault/aws.json
// Without arguments it reads the outputs of the deployed stack with the AWS CLI instead:
//   npx tsx infra/bin/state-file.ts --from-stack VoiceVault .voicevault/aws.json
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { deploymentSchema, writeDeployment, type Deployment } from '../../main/aws/deployment';
import { voiceVaultConfig } from '../../shared/config';
import { OUTPUTS } from '../lib/stack';

/** Stack outputs (key → value) → a validated deployment for real AWS (no endpoint, no demo users). */
export function deploymentFromOutputs(outputs: Record<string, string>): Deployment {
  const pick = (key: string): string => {
    const value = outputs[key];
    if (!value) throw new Error(`stack output ${key} is missing`);
    return value;
  };
  return deploymentSchema.parse({
    target: 'aws',
    region: pick(OUTPUTS.region),
    userPoolId: pick(OUTPUTS.userPoolId),
    userPoolClientId: pick(OUTPUTS.userPoolClientId),
    identityPoolId: pick(OUTPUTS.identityPoolId),
    envelopeKeyArn: pick(OUTPUTS.envelopeKeyArn),
    storageKeyArn: pick(OUTPUTS.storageKeyArn),
    bucket: pick(OUTPUTS.bucket),
    demoUsers: [],
  });
}

async function main(argv: string[]): Promise<void> {
  let outputs: Record<string, string>;
  let target: string | undefined;
  if (argv[0] === '--from-stack') {
    const stack = argv[1] ?? voiceVaultConfig.stackName;
    target = argv[2];
    const raw = execFileSync('aws', ['cloudformation', 'describe-stacks', '--stack-name', stack, '--query', 'Stacks[0].Outputs', '--output', 'json'], { encoding: 'utf8' });
    outputs = Object.fromEntries((JSON.parse(raw) as { OutputKey: string; OutputValue: string }[]).map((o) => [o.OutputKey, o.OutputValue]));
  } else {
    const file = argv[0] ?? 'cdk-outputs.json';
    target = argv[1];
    const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    outputs = all[voiceVaultConfig.stackName] ?? Object.values(all)[0] ?? {};
  }
  const deployment = deploymentFromOutputs(outputs);
  if (target) await writeDeployment(target, deployment);
  else process.stdout.write(`${JSON.stringify(deployment, null, 2)}\n`);
}

if (process.argv[1] && /state-file\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
