// A contractor far too close to the microphone (the reference clip at 20× gain, clipped when the
// fake microphone file is written): the live clipping light, computed on the worklet's chunks, comes
// on, and the mic check says so in words. The capture asks for raw audio (no echo cancellation,
// noise suppression or auto gain) and gets it.
import { expect, expectAccessible, screenshot, signInAs, test } from './fixtures';

test.use({ microphoneGain: 20 });

test('the clipping light comes on and the mic check advises moving back', async ({ openApp, deployment }) => {
  test.setTimeout(120_000);
  const { page } = await openApp();
  // Record what the app asks getUserMedia for and what the track then reports.
  await page.evaluate(() => {
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      const settings = stream.getAudioTracks()[0]?.getSettings();
      (window as unknown as { captured: unknown[] }).captured = [...((window as unknown as { captured?: unknown[] }).captured ?? []), { constraints, settings }];
      return stream;
    };
  });
  await signInAs(page, deployment, 'ada');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();

  const light = page.getByRole('img', { name: 'Clipping: too loud' });
  await expect(light).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('meter', { name: 'Input level' })).toHaveAttribute('aria-valuetext', /^-?\d+ dB$/);
  await screenshot(page, '23-clipping-light');
  // Echo cancellation, noise suppression and auto gain are off, asked for and granted.
  const [opened] = await page.evaluate(() => (window as unknown as { captured: { constraints: MediaStreamConstraints; settings: MediaTrackSettings }[] }).captured);
  expect(opened!.constraints.audio).toMatchObject({ echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  expect(opened!.settings).toMatchObject({ echoCancellation: false, noiseSuppression: false, autoGainControl: false });

  await page.getByRole('button', { name: /Check microphone/ }).click();
  const report = page.getByRole('region', { name: 'microphone check result' });
  await expect(report).toContainText('Your setup could be better', { timeout: 30_000 });
  await expect(report).toContainText(/clip/i);
  await expectAccessible(page, 'microphone check with clipping');
});
