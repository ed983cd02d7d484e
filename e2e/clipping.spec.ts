// A contractor far too close to the microphone (the reference clip at 20× gain, clipped when the
// fake microphone file is written): the live clipping light, computed on the worklet's chunks, comes
// on, and the mic check says so in words.
import { expect, expectAccessible, screenshot, signInAs, test } from './fixtures';

test.use({ microphoneGain: 20 });

test('the clipping light comes on and the mic check advises moving back', async ({ openApp, deployment }) => {
  test.setTimeout(120_000);
  const { page } = await openApp();
  await signInAs(page, deployment, 'ada');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();

  const light = page.getByRole('img', { name: 'Clipping: too loud' });
  await expect(light).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('meter', { name: 'Input level' })).toHaveAttribute('aria-valuetext', /^-?\d+ dB$/);
  await screenshot(page, '23-clipping-light');

  await page.getByRole('button', { name: /Check microphone/ }).click();
  const report = page.getByRole('region', { name: 'microphone check result' });
  await expect(report).toContainText('Your setup could be better', { timeout: 30_000 });
  await expect(report).toContainText(/clip/i);
  await expectAccessible(page, 'microphone check with clipping');
});
