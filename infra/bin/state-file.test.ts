import { beforeAll, describe, expect, it } from 'vitest';
import { voiceVaultConfig } from '../../shared/config';
import { OUTPUTS } from '../lib/stack';
import { synthesizedTemplate } from '../lib/template-cache';
import type { Json } from '../check/json';
import { deploymentFromOutputs } from './state-file';

let json: Json;
// The first synthesis of a run can take minutes on a loaded two-core machine.
beforeAll(async () => {
  json = await synthesizedTemplate();
}, 240_000);

describe('stack outputs → app state file', () => {
  it('every state-file field has a stack output', () => {
    for (const key of Object.values(OUTPUTS)) expect(json.Outputs[key], key).toBeDefined();
  });

  it('builds a schema-valid real-AWS deployment with no endpoint and no demo users', () => {
    const d = deploymentFromOutputs({
      Region: voiceVaultConfig.defaultRegion,
      UserPoolId: 'eu-central-1_abc',
      UserPoolClientId: 'client123',
      IdentityPoolId: 'eu-central-1:0000',
      EnvelopeKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/1',
      StorageKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/2',
      Bucket: 'voicevault-data-111122223333-eu-central-1',
      AlarmTopicArn: 'ignored',
    });
    expect(d.target).toBe('aws');
    expect(d.endpoint).toBeUndefined();
    expect(d.demoUsers).toEqual([]);
    expect(d.bucket).toBe('voicevault-data-111122223333-eu-central-1');
  });

  it('refuses outputs with a field missing', () => {
    expect(() => deploymentFromOutputs({ Region: 'eu-central-1' })).toThrow(/UserPoolId/);
  });
});
