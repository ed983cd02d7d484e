// Importing finished recordings: a batch through the file dialog with one corrupt and one good file
// (a result per file, the good one uploaded), then a file dropped onto the window.
import { readFile } from 'node:fs/promises';
import { expect, expectAccessible, referenceClip, screenshot, signInAs, test } from './fixtures';

test('imports a batch with one corrupt and one good file, and a dropped file, each with its own result', async ({ openApp, deployment }) => {
  test.setTimeout(120_000);
  const { page, calls } = await openApp();
  await signInAs(page, deployment, 'ada');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import recordings' })).toBeVisible();
  await expectAccessible(page, 'import');

  const good = await readFile(referenceClip);
  // A WAV header that promises more than it holds, then noise: the decoder must refuse it in words.
  const corrupt = Buffer.concat([good.subarray(0, 44), Buffer.from('this is not audio at all '.repeat(20))]);
  corrupt.write('RIFX', 0, 'latin1');
  await page.getByLabel('Choose files…').setInputFiles([
    { name: 'broken-take.wav', mimeType: 'audio/wav', buffer: corrupt },
    { name: 'reading-01.wav', mimeType: 'audio/wav', buffer: good },
  ]);
  const results = page.getByRole('list', { name: 'import results' });
  await expect(results.getByRole('listitem').filter({ hasText: 'reading-01.wav' })).toContainText('accepted', { timeout: 60_000 });
  const broken = results.getByRole('listitem').filter({ hasText: 'broken-take.wav' });
  await expect(broken).toContainText('rejected');
  // The reason is a sentence, not a stack trace.
  await expect(broken.getByRole('listitem')).not.toHaveText([]);
  expect(await broken.innerText()).not.toMatch(/at \w+ \(|Error:|\.ts:\d+/);
  await expect(page.getByTestId('live-region')).toContainText('Import finished: 1 of 2 files accepted.');
  await expectAccessible(page, 'import results');
  await screenshot(page, '11-import-results');

  // Drag and drop: the same path, from a drop on the zone.
  const dropped = await page.evaluateHandle(async (bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'dropped.wav', { type: 'audio/wav' }));
    return transfer;
  }, [...good]);
  await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer: dropped });
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(results.getByRole('listitem').filter({ hasText: 'dropped.wav' })).toContainText('accepted', { timeout: 60_000 });
  expect(calls.filter((call) => call === 'importAudio')).toHaveLength(3);

  // Both accepted files reach the bucket; the outbox shows them uploaded with receipts.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Outbox/ }).click();
  const uploaded = page.getByRole('list', { name: 'uploaded samples' }).getByRole('listitem').filter({ hasText: /Uploaded/ });
  await expect(uploaded).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByRole('list', { name: 'uploaded samples' })).toContainText('reading-01.wav');
  await expect(page.getByRole('list', { name: 'uploaded samples' })).toContainText('dropped.wav');
  await expectAccessible(page, 'outbox');
  await screenshot(page, '12-outbox-after-import');
});
