import { describe, expect, it } from 'vitest';
import { demoPartition } from '../../shared/partition';
import { useTestEmulator } from '../emulator/test-emulator';
import { dispatchIpc } from './dispatch';
import { createSessionHandlers } from './index';

const emulator = useTestEmulator();

describe('the session behind the IPC contract', () => {
  it('signs a contractor in and loads her partition with her own credentials', async () => {
    const { deployment } = emulator();
    const handlers = createSessionHandlers({ deployment, appVersion: '0.0.0-test' });
    const ada = deployment.demoUsers.find((u) => u.username === 'ada')!;
    expect(await dispatchIpc(handlers, 'signIn', { username: 'ada', password: ada.password })).toEqual({
      type: 'success',
      value: { username: 'ada', partition: 'demo' },
    });
    const partition = await dispatchIpc(handlers, 'getPartition', undefined);
    expect(partition).toEqual({ type: 'success', value: demoPartition });
  });

  it('refuses a partition read before sign-in, in plain words', async () => {
    const handlers = createSessionHandlers({ deployment: emulator().deployment, appVersion: '0.0.0-test' });
    expect(await dispatchIpc(handlers, 'getPartition', undefined)).toMatchObject({ type: 'error', code: 'CredentialsExpired' });
  });

  it('rejects unknown methods and payloads that do not match the schema', async () => {
    const handlers = createSessionHandlers({ deployment: emulator().deployment, appVersion: '0.0.0-test' });
    expect(await dispatchIpc(handlers, 'readFile', '/etc/passwd')).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await dispatchIpc(handlers, 'signIn', { username: 'ada', password: 'x', admin: true })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await dispatchIpc(handlers, 'getAppInfo', { sneaky: 1 })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
  });

  it('never lets an internal error text reach the renderer', async () => {
    const handlers = createSessionHandlers({ deployment: emulator().deployment, appVersion: '0.0.0-test' });
    handlers.getAppInfo = async () => {
      throw new Error('secret internal detail at /home/x');
    };
    const result = await dispatchIpc(handlers, 'getAppInfo', undefined);
    expect(result).toMatchObject({ type: 'error', code: 'Internal' });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
