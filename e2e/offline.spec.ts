// Flaky Wi-Fi: the app talks to AWS through a loopback proxy that can cut the network. With the
// network gone, an imported sample is sealed and kept ("waiting for the network"); when it returns,
// the same sample uploads and gets its receipt, without the contractor doing anything.
import { readFile } from 'node:fs/promises';
import { s3ErrorFault, startLoopbackProxy, type LoopbackProxy } from '../main/emulator/loopback-proxy';
import { expect, expectAccessible, referenceClip, screenshot, signInAs, test } from './fixtures';

let proxy: LoopbackProxy | undefined;
test.afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

test('a sample made offline waits sealed in the outbox and uploads when the network returns', async ({ openApp, deployment, emulator }) => {
  test.setTimeout(180_000);
  proxy = await startLoopbackProxy({ target: emulator.endpoint });
  const { page } = await openApp({ deployment: { ...deployment, endpoint: proxy.url } });
  await signInAs(page, deployment, 'ada');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();

  // The network goes away: every connection to AWS is refused.
  proxy.setFault(() => ({ kind: 'refuse' }));
  const sentBefore = proxy.requests.filter((r) => r.service === 's3' && r.method === 'PUT').length;
  await page.getByLabel('Choose files…').setInputFiles({ name: 'on-the-train.wav', mimeType: 'audio/wav', buffer: await readFile(referenceClip) });
  await expect(page.getByRole('list', { name: 'import results' })).toContainText('accepted', { timeout: 60_000 });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Outbox/ }).click();
  const item = page.getByRole('listitem', { name: 'on-the-train.wav' });
  await expect(item).toContainText('Waiting for the network', { timeout: 60_000 });
  await expect(page.getByTestId('live-region')).toContainText('Waiting for the network');
  await expectAccessible(page, 'outbox while offline');
  await screenshot(page, '13-outbox-offline');
  // Nothing reached S3 while offline.
  expect(proxy.requests.filter((r) => r.service === 's3' && r.method === 'PUT' && r.status !== undefined).length).toBe(sentBefore);

  // The network comes back; the outbox drains on its own and the receipt appears.
  proxy.setFault(undefined);
  await expect(item).toContainText('Uploaded', { timeout: 90_000 });
  await expect(page.getByTestId('live-region')).toContainText('Upload finished');
  await item.getByText('Receipt').click();
  await expect(item.getByRole('table')).toContainText('features/demo/');
  await screenshot(page, '14-outbox-back-online');
});

test('an upload S3 refuses shows as failed with its reason, and Retry uploads it once the cause is gone', async ({ openApp, deployment, emulator }) => {
  test.setTimeout(180_000);
  proxy = await startLoopbackProxy({ target: emulator.endpoint });
  const { page, calls } = await openApp({ deployment: { ...deployment, endpoint: proxy.url } });
  await signInAs(page, deployment, 'grace');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();

  // S3 refuses every upload (as if a policy denied it); everything else works.
  proxy.setFault((request) => (request.service === 's3' && request.method !== 'GET' ? s3ErrorFault(403, 'AccessDenied', 'Access Denied') : undefined));
  await page.getByLabel('Choose files…').setInputFiles({ name: 'refused.wav', mimeType: 'audio/wav', buffer: await readFile(referenceClip) });
  await expect(page.getByRole('list', { name: 'import results' })).toContainText('accepted', { timeout: 60_000 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Outbox/ }).click();
  const item = page.getByRole('listitem', { name: 'refused.wav' });
  await expect(item).toContainText('Failed', { timeout: 60_000 });
  await expect(item.locator('.outbox-problem')).not.toBeEmpty();
  await expect(page.getByTestId('live-region')).toContainText('Upload failed: refused.wav.');
  await expectAccessible(page, 'outbox with a failed upload');
  await screenshot(page, '22-outbox-failed');

  proxy.setFault(undefined);
  await item.getByRole('button', { name: 'Retry upload' }).click();
  await expect(item).toContainText('Uploaded', { timeout: 60_000 });
  expect(calls).toContain('retryUpload');
});
