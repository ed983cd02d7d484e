#!/usr/bin/env node
// CDK app entry: `npx cdk deploy` (from infra/) or `npm run infra:synth`.
// Synthesizes offline: no context lookups, no assets, no bootstrap-version rule.
// cdk-nag errors (AwsSolutions, NIST 800-53 rev 5, HIPAA Security) fail the synthesis.
import { App, DefaultStackSynthesizer, Validations } from 'aws-cdk-lib';
import { voiceVaultConfig } from '../../shared/config';
import { NagErrorsPlugin } from '../lib/nag-packs';
import { VoiceVaultStack } from '../lib/stack';

const app = new App();
new VoiceVaultStack(app, voiceVaultConfig.stackName, {
  synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
if (process.env.VOICEVAULT_NAG !== '0') Validations.of(app).addPlugins(new NagErrorsPlugin(app));
app.synth();
