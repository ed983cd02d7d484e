// The admin contract methods through dispatchIpc against a real moto server, as the window calls them:
// main refuses them to contractors and to nobody-signed-in; an admin edits partitions conditionally,
// assigns, sees a contractor's withdrawal request (sent with her own credentials) and erases her.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipcMethods } from '../../shared/ipc-contract';
import { demoPartition } from '../../shared/partition';
import { useTestEmulator } from '../emulator/test-emulator';
import { MemorySecretStore } from '../secrets';
import { SessionContext } from './context';
import { dispatchIpc } from './dispatch';
import { createSessionHandlers } from './index';

const emulator = useTestEmulator();

async function app() {
  const context = new SessionContext({ deployment: emulator().deployment, appVersion: '0.0.0-test', secretStore: new MemorySecretStore(), dataDir: await mkdtemp(join(tmpdir(), 'vv-admin-handlers-')) });
  const handlers = createSessionHandlers(context);
  return { context, call: (method: string, payload?: unknown) => dispatchIpc(handlers, method, payload) };
}

async function signedIn(username: string) {
  const window = await app();
  const password = emulator().deployment.demoUsers.find((u) => u.username === username)!.password;
  const result = await window.call('signIn', { username, password });
  if (result.type !== 'success') throw new Error(`${username} could not sign in: ${result.message}`);
  return window;
}

/** A valid request for each admin method, so a refusal is about who asks, not what. */
const adminRequests: Record<string, unknown> = {
  adminListPartitions: undefined,
  adminGetPartition: { id: 'demo' },
  adminCreatePartition: { partition: { ...demoPartition, id: 'sneaky' } },
  adminSavePartition: { partition: { ...demoPartition }, etag: '"x"' },
  adminParsePrompts: { tsv: 'a\tb' },
  adminListUsers: undefined,
  adminAssignPartition: { username: 'ada', partition: 'demo' },
  adminUnassignPartition: { username: 'grace' },
  adminGetLifecycle: undefined,
  adminApplyLifecycle: undefined,
  adminGetAlarms: undefined,
  adminListWithdrawalRequests: undefined,
  adminAccessReview: undefined,
  adminRevokeContractor: { username: 'grace' },
  adminEraseContractor: { contractor: 'grace', confirm: 'grace' },
};

describe('admin methods in main', () => {
  it('cover every admin method of the contract', () => {
    expect(ipcMethods.filter((m) => m.startsWith('admin')).sort()).toEqual(Object.keys(adminRequests).sort());
  });

  it('are refused to a contractor, whatever the window shows, and to a window nobody signed in to', async () => {
    const ada = await signedIn('ada');
    const nobody = await app();
    for (const [method, request] of Object.entries(adminRequests)) {
      expect(await ada.call(method, request), method).toEqual({ type: 'error', code: 'AccessDenied', message: 'Only admins may do this.' });
      expect(await nobody.call(method, request), method).toMatchObject({ type: 'error', code: 'SessionExpired' });
    }
    const admin = await signedIn('admin');
    expect(await admin.call('adminListUsers')).toMatchObject({ type: 'success', value: expect.arrayContaining([expect.objectContaining({ username: 'grace', partition: 'demo' })]) });
    expect(await admin.call('adminGetPartition', { id: 'sneaky' })).toMatchObject({ type: 'error', code: 'NotFound' });
  });

  it('let an admin create, open and save a partition, refusing a stale save and malformed input precisely', async () => {
    const admin = await signedIn('admin');
    expect(await admin.call('getSession')).toMatchObject({ type: 'success', value: { username: 'admin', partition: '', isAdmin: true } });
    const prompts = await admin.call('adminParsePrompts', { tsv: 'w1\tWindow one.\nw2\tWindow two.\n' });
    expect(prompts).toEqual({ type: 'success', value: [{ id: 'w1', text: 'Window one.' }, { id: 'w2', text: 'Window two.' }] });
    expect(await admin.call('adminParsePrompts', { tsv: 'w1\tOne.\nw1\tTwo.\n' })).toEqual({ type: 'error', code: 'InvalidPartition', message: 'The prompt file has problems:\n  line 2: prompt id "w1" is already used on line 1' });

    const w1 = { ...demoPartition, id: 'w1', name: 'Window', prompts: (prompts as { value: unknown }).value, consent: { version: 'w-1', text: 'I agree.' } };
    const bad = await admin.call('adminCreatePartition', { partition: { ...w1, rawGlacierDays: 400 } });
    expect(bad).toEqual({
      type: 'error',
      code: 'InvalidPartition',
      message: 'Partition w1 was not saved:\n  rawGlacierDays: raw audio would move to Glacier after 400 days but expire after 365; rawGlacierDays must be below rawExpireDays',
    });
    const created = await admin.call('adminCreatePartition', { partition: w1 });
    expect(created).toMatchObject({ type: 'success', value: { partition: { id: 'w1' }, lifecycle: { applied: true, writes: 1 } } });

    const opened = await admin.call('adminGetPartition', { id: 'w1' });
    if (opened.type !== 'success') throw new Error(opened.message);
    const { etag } = opened.value as { etag: string };
    const saved = await admin.call('adminSavePartition', { partition: { ...w1, name: 'Window (first save)' }, etag });
    expect(saved).toMatchObject({ type: 'success', value: { partition: { name: 'Window (first save)' } } });
    const stale = await admin.call('adminSavePartition', { partition: { ...w1, name: 'Window (stale save)' }, etag });
    expect(stale).toMatchObject({ type: 'error', code: 'Conflict', message: expect.stringMatching(/^Partition w1 was changed by someone else since you opened it/) });
    expect(await admin.call('adminGetPartition', { id: 'w1' })).toMatchObject({ type: 'success', value: { partition: { name: 'Window (first save)' } } });
    expect(await admin.call('adminAssignPartition', { username: 'ada', partition: 'nope' })).toEqual({ type: 'error', code: 'NotFound', message: 'There is no partition nope.' });
  });

  it("show a contractor's withdrawal request to the admin, who erases her only when she is named twice", async () => {
    const grace = await signedIn('grace');
    const receipt = await grace.call('requestWithdrawal');
    expect(receipt).toMatchObject({ type: 'success', value: { requestId: expect.stringMatching(/^[0-9A-Z]{26}$/) } });
    const requestId = (receipt as { value: { requestId: string } }).value.requestId;

    const admin = await signedIn('admin');
    const requests = await admin.call('adminListWithdrawalRequests');
    expect(requests).toMatchObject({ type: 'success', value: [{ requestId, partition: 'demo', username: 'grace' }] });
    expect(await admin.call('adminEraseContractor', { contractor: 'grace', confirm: 'ada' })).toEqual({ type: 'error', code: 'InvalidArgument', message: 'Erasing cannot be undone: type grace again to confirm.' });
    expect(await admin.call('adminEraseContractor', { contractor: 'grace' })).toEqual({ type: 'error', code: 'InvalidArgument', message: 'Invalid request for adminEraseContractor.' });
    expect(await admin.call('adminListWithdrawalRequests')).toMatchObject({ type: 'success', value: [{ requestId }] });

    const erased = await admin.call('adminEraseContractor', { contractor: 'grace', confirm: 'grace' });
    expect(erased).toMatchObject({ type: 'success', value: { username: 'grace', reason: 'consent-withdrawn', objectVersions: 1, objects: [{ key: expect.stringMatching(new RegExp(`^requests/demo/[0-9a-f-]+/${requestId}\\.sealed$`)), versions: 1 }] } });
    expect(await admin.call('adminListWithdrawalRequests')).toEqual({ type: 'success', value: [] });
  });

  it('refuse a withdrawal request from a window nobody signed in to', async () => {
    expect(await (await app()).call('requestWithdrawal')).toMatchObject({ type: 'error', code: 'SessionExpired' });
  });
});
