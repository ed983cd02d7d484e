// Synthesize the stack in-process (tests and infra:check). One call per test file.
import { App, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { voiceVaultConfig } from '../../shared/config';
import { VoiceVaultStack } from './stack';
import type { Json } from '../check/json';

export interface Synthesized {
  stack: VoiceVaultStack;
  template: Template;
  json: Record<string, Json>;
}

export function synthesize(opts: { env?: { account?: string; region?: string }; skipNagAcknowledgements?: boolean } = {}): Synthesized {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'voicevault-cdk-')) });
  const stack = new VoiceVaultStack(app, voiceVaultConfig.stackName, {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    env: opts.env,
    skipNagAcknowledgements: opts.skipNagAcknowledgements,
  });
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() };
}
