import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDeployment, writeDeployment, type Deployment } from './deployment';

const deployment: Deployment = {
  target: 'emulator',
  endpoint: 'http://127.0.0.1:5000',
  region: 'eu-central-1',
  userPoolId: 'eu-central-1_abc',
  userPoolClientId: 'client',
  identityPoolId: 'eu-central-1:id',
  envelopeKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/a',
  storageKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/b',
  bucket: 'voicevault-data-local',
  demoUsers: [{ username: 'ada', password: 'local-only', role: 'contractor', partition: 'demo' }],
};

describe('the state file', () => {
  it('round-trips and is readable by its owner only', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vv-state-')), 'nested', 'local.json');
    await writeDeployment(path, deployment);
    expect(await readDeployment(path)).toEqual(deployment);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('says how to start the emulator when the file is missing or invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vv-state-'));
    await expect(readDeployment(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'StateFileMissing', message: expect.stringContaining('npm run emulator') });
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ target: 'emulator' }));
    await expect(readDeployment(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'StateFileMissing' });
    await writeFile(join(dir, 'garbage.json'), '{not json');
    await expect(readDeployment(join(dir, 'garbage.json'))).rejects.toMatchObject({ code: 'StateFileMissing' });
  });
});
