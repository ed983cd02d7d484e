// The synthesized template for tests that only read its JSON. Synthesis (and loading aws-cdk-lib)
// costs most of the infra test time, so the JSON is cached under node_modules/.cache, keyed by
// a hash of everything synthesis reads: infra/lib sources, shared/ sources and the CDK versions.
// Any change to those makes a new key, so a stale template is never read.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from '../check/json';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const dir of [here, join(root, 'shared')]) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) {
      hash.update(`${dir}/${name}\0`).update(readFileSync(join(dir, name))).update('\0');
    }
  }
  const require = createRequire(import.meta.url);
  for (const pkg of ['aws-cdk-lib', 'cdk-nag', 'constructs']) hash.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}\0`);
  return hash.digest('hex').slice(0, 32);
}

export async function synthesizedTemplate(): Promise<Record<string, Json>> {
  const dir = join(root, 'node_modules', '.cache', 'voicevault-infra');
  const file = join(dir, `template-${inputsHash()}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Json>;
  } catch {
    const { synthesize } = await import('./synth');
    const { json } = synthesize();
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(json));
    renameSync(partial, file); // atomic: parallel test files never read half a template
    return json;
  }
}
