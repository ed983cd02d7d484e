// A contractor who speaks far too quietly (the fake microphone plays the reference clip at -50 dB):
// the mic check says so in words, and a take fails the quality check with its reason and cannot be
// submitted.
import { demoPartition } from '../shared/partition';
import { expect, expectAccessible, screenshot, signInAs, test } from './fixtures';

test.use({ microphoneGain: 0.003 });

test('a take that is too quiet fails with its reason and cannot be submitted', async ({ openApp, deployment }) => {
  test.setTimeout(120_000);
  const { page, calls } = await openApp();
  await signInAs(page, deployment, 'grace');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();

  await page.getByRole('button', { name: /Check microphone/ }).click();
  const report = page.getByRole('region', { name: 'microphone check result' });
  await expect(report).toContainText('Your setup could be better', { timeout: 30_000 });
  await expect(report.getByRole('listitem').first()).toBeVisible();
  await screenshot(page, '09-mic-check-too-quiet');
  await page.getByRole('button', { name: 'Record anyway' }).click();

  const main = page.getByRole('main');
  await expect(main.getByRole('button', { name: 'Record', exact: true })).toBeEnabled({ timeout: 15_000 });
  await page.keyboard.press('Space');
  await expect(page.getByText(/Recording… [2-9]\.\d s/)).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('Space');
  await expect(page.getByText('Quality check failed', { exact: true })).toBeVisible({ timeout: 30_000 });
  const reasons = page.getByRole('list', { name: 'why the take failed' });
  // The partition asks for speech at -30 dBFS or louder; the reason says the take is too quiet.
  await expect(reasons).toContainText(/quiet|loud/i);
  await expect(page.getByRole('listitem').filter({ hasText: 'Loudness' })).toContainText('not within the requirement');
  await expect(main.getByRole('button', { name: 'Submit' })).toBeDisabled();
  await expect(page.getByTestId('live-region')).toContainText('Quality check failed.');
  await expectAccessible(page, 'failed take');
  await screenshot(page, '10-take-too-quiet');

  // Enter does not submit a failed take; Esc discards it and the prompt stays the same.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('live-region')).toContainText('Take discarded.');
  await expect(page.getByText(demoPartition.prompts[0]!.text)).toBeVisible();
  expect(calls).not.toContain('submitTake');
});
