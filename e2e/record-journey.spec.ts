// The contractor's main journey in Debian Chromium, against real moto, with Chromium's fake
// microphone playing the reference clip: sign in → consent → mic check → record a prompt → quality
// passes → submit → the upload finishes → receipt. Then the bucket is read as the training side
// would: sealed objects with the expected context, features equal to what the app computed from the
// audio it captured, and that audio is the reference clip.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { KMS } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { demoPartition } from '../shared/partition';
import { decodeAudioFile, resample } from '../main/audio';
import { clientConfig, s3ClientConfig } from '../main/aws/target';
import { createOpener, readSealedHeader } from '../main/crypto';
import { computeMelFeatures, decodeSafetensors, featurePresetParameters, presetSampleRate } from '../main/features';
import { alignToLoopedReference, concatenate, pearson } from './audio-alignment';
import { expect, expectAccessible, passMicrophoneCheck, referenceClip, repoRoot, screenshot, signInAs, test } from './fixtures';

test('a contractor records a prompt, submits it and gets a receipt; the bucket holds exactly that, sealed', async ({ openApp, deployment, emulator }) => {
  test.setTimeout(240_000);
  const { page, takes, services } = await openApp();

  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'sign-in');
  await screenshot(page, '01-sign-in');
  await signInAs(page, deployment, 'ada');

  // First session on this device: consent, shown with the privacy panel.
  await expect(page.getByRole('heading', { name: /Your privacy in Demo partition/ })).toBeVisible();
  await expect(page.getByText('Your recording itself is not kept')).toBeVisible();
  await expectAccessible(page, 'consent');
  await screenshot(page, '02-consent');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();

  // Five seconds of the (fake) microphone in the room.
  await expect(page.getByRole('heading', { name: 'Check your microphone' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Check microphone/ })).toBeEnabled({ timeout: 15_000 });
  await expect(page.getByRole('meter', { name: 'Input level' })).toBeVisible();
  await expectAccessible(page, 'microphone check');
  await screenshot(page, '03-mic-check');
  await passMicrophoneCheck(page);
  await screenshot(page, '04-mic-check-passed');
  await page.getByRole('button', { name: 'Continue to recording' }).click();

  // The first prompt, recorded with the keyboard shortcuts shown on the buttons.
  await expect(page.getByRole('heading', { name: 'Prompt 1 of 3' })).toBeVisible();
  await expect(page.getByText(demoPartition.prompts[0]!.text)).toBeVisible();
  const record = page.getByRole('main').getByRole('button', { name: 'Record', exact: true });
  await expect(record).toBeEnabled({ timeout: 15_000 });
  await expect(record).toHaveAttribute('aria-keyshortcuts', 'R Space');
  await expectAccessible(page, 'recorder');
  await screenshot(page, '05-recorder-ready');
  await page.keyboard.press('r');
  await expect(page.getByTestId('live-region')).toContainText('Recording.');
  await expect(page.getByText(/Recording… [3-9]\.\d s/)).toBeVisible({ timeout: 20_000 });
  await screenshot(page, '06-recording');
  await page.keyboard.press('r');
  await expect(page.getByText('Quality check passed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('img', { name: /Mel spectrogram of the take/ })).toBeVisible();
  await expectAccessible(page, 'take review');
  await screenshot(page, '07-take-review');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('live-region')).toContainText('Submitted.');
  // The session moves on to the next unrecorded prompt.
  await expect(page.getByRole('heading', { name: 'Prompt 2 of 3' })).toBeVisible();

  // The outbox shows the upload finishing and the receipt.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Outbox/ }).click();
  const item = page.getByRole('listitem', { name: `“${demoPartition.prompts[0]!.text}”` });
  await expect(item).toContainText('Uploaded', { timeout: 60_000 });
  await expect(page.getByTestId('live-region')).toContainText(/Upload finished/);
  await item.getByText('Receipt').click();
  await expect(item.getByRole('table')).toContainText('features/demo/');
  await expectAccessible(page, 'outbox with receipt');
  await screenshot(page, '08-outbox-receipt');

  // What the page sent is one take; what main reports is one uploaded sample with its receipt.
  expect(takes.size).toBe(1);
  const [captured] = [...takes.values()];
  const outbox = await services.handlers.listOutbox(undefined);
  const uploaded = outbox.find((entry) => entry.sample === captured!.sample);
  expect(uploaded?.state).toBe('uploaded');
  const receipt = uploaded!.receipt!;

  // The bucket, read with admin rights: features and a manifest (the demo partition keeps no raw), all sealed.
  const ada = await new CognitoIdentityProviderClient(clientConfig(emulator.adminTarget)).send(
    new AdminGetUserCommand({ UserPoolId: deployment.userPoolId, Username: 'ada' }),
  );
  const sub = ada.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
  const s3 = new S3Client(s3ClientConfig(emulator.adminTarget));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: deployment.bucket }));
  const sampleKeys = (listed.Contents ?? []).map((o) => o.Key!).filter((key) => key.includes(captured!.sample));
  expect(sampleKeys.sort()).toEqual([`features/demo/${sub}/${captured!.sample}.speech16k.sealed`, `manifests/demo/${sub}/${captured!.sample}.sealed`]);
  expect(receipt.objects.map((o) => o.key).sort()).toEqual(sampleKeys.sort());

  const opener = createOpener({ kms: new KMS(clientConfig(emulator.adminTarget)), envelopeKeyArn: deployment.envelopeKeyArn });
  let storedLogMel: Float32Array | undefined;
  for (const key of sampleKeys) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: key }))).Body!.transformToByteArray();
    const header = readSealedHeader(body);
    expect(header.encryptionContext).toMatchObject({
      app: 'voicevault',
      kind: key.startsWith('features/') ? 'features' : 'manifest',
      partition: 'demo',
      contractor: sub,
      sample: captured!.sample,
      consent: demoPartition.consent.version,
    });
    expect(receipt.objects.find((o) => o.key === key)?.bytes).toBe(body.length);
    // No plaintext in the object: the safetensors header magic would be readable JSON.
    expect(Buffer.from(body).includes(Buffer.from('log_mel_db'))).toBe(false);
    if (key.startsWith('features/')) {
      const opened = await opener.open(body, key);
      const tensors = decodeSafetensors(opened.plaintext).tensors;
      storedLogMel = Float32Array.from(tensors.log_mel_db!.data);
    }
  }

  // The decrypted features are what the app computed from the audio the page captured.
  const params = featurePresetParameters.speech16k;
  const rate = presetSampleRate(params, captured!.sampleRate);
  expect(rate).toBe(16_000);
  const capturedAudio = concatenate(captured!.chunks);
  const at16k = resample(capturedAudio, captured!.sampleRate, rate);
  const recomputed = computeMelFeatures(at16k, rate, params);
  expect(storedLogMel!.length).toBe(recomputed.logMelDb.length);
  let worst = 0;
  for (let i = 0; i < recomputed.logMelDb.length; i++) worst = Math.max(worst, Math.abs(storedLogMel![i]! - recomputed.logMelDb[i]!));
  expect(worst, 'largest log-mel difference (dB)').toBeLessThan(0.05);
  console.log(`journey: ${recomputed.nFrames} stored log-mel frames; largest difference from the recomputation ${worst.toExponential(2)} dB`);

  // And the captured audio is the reference clip: aligned by cross-correlation, its log-mel
  // correlates with the reference (torchaudio) log-mel frames.
  const referenceAudio = (await decodeAudioFile(referenceClip)).samples;
  const { offset, correlation } = alignToLoopedReference(at16k, referenceAudio, rate);
  const reference = JSON.parse(await readFile(join(repoRoot, 'shared', 'reference', 'features', 'speech_en_16k.json'), 'utf8')) as {
    configs: { speech16k: { log_mel_db: number[][]; n_frames: number } };
  };
  const referenceFrames = reference.configs.speech16k.log_mel_db;
  const hop = params.hopLength;
  const ours: number[] = [];
  const theirs: number[] = [];
  /** Compares the take from `start` (a sample aligned with reference sample `refStart`, on its frame grid) until the loop wraps. */
  const compare = (start: number, refStart: number) => {
    if (start >= at16k.length) return;
    const segment = computeMelFeatures(at16k.subarray(start), rate, params);
    const firstRefFrame = refStart / hop;
    // Skip the frames whose window reaches the zero padding at either end.
    for (let frame = 2; frame < segment.nFrames - 2 && firstRefFrame + frame < referenceFrames.length - 2; frame++) {
      for (let band = 0; band < params.nMels; band++) {
        ours.push(segment.logMelDb[frame * params.nMels + band]!);
        theirs.push(referenceFrames[firstRefFrame + frame]![band]!);
      }
    }
  };
  // Before the loop wraps: start on the reference's frame grid…
  const trim = (hop - (offset % hop)) % hop;
  compare(trim, offset + trim);
  // …and after it: the clip starts again at its sample 0.
  compare(referenceAudio.length - offset, 0);
  const frames = ours.length / params.nMels;
  const logMelCorrelation = pearson(ours, theirs);
  console.log(`journey: take starts ${offset} samples into the reference loop (waveform correlation ${correlation.toFixed(3)}); log-mel correlation ${logMelCorrelation.toFixed(4)} over ${frames} frames`);
  expect(frames, 'frames compared').toBeGreaterThan(250);
  expect(logMelCorrelation, 'log-mel correlation with the reference clip').toBeGreaterThanOrEqual(0.95);
  s3.destroy();
});
