// A partition that asks contractors to hear each take before submitting it: Submit stays disabled
// until the take has been played back (P). This file rewrites the demo partition, so it gets its own
// emulator.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { partitionConfigKey } from '../shared/config';
import { demoPartition } from '../shared/partition';
import { s3ClientConfig } from '../main/aws/target';
import { expect, signInAs, test } from './fixtures';

test.use({ emulatorName: 'listen-before-submit' });

test('Submit waits until the take has been played back', async ({ openApp, emulator }) => {
  test.setTimeout(150_000);
  const { deployment, adminTarget } = emulator;
  const s3 = new S3Client(s3ClientConfig(adminTarget));
  await s3.send(
    new PutObjectCommand({
      Bucket: deployment.bucket,
      Key: partitionConfigKey('demo'),
      Body: JSON.stringify({ ...demoPartition, listenBeforeSubmit: true }),
      ContentType: 'application/json',
    }),
  );
  s3.destroy();

  const { page, calls } = await openApp();
  await signInAs(page, deployment, 'ada');
  await page.getByLabel(/I have read this and agree/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Record' }).click();

  const main = page.getByRole('main');
  await expect(main.getByRole('button', { name: 'Record', exact: true })).toBeEnabled({ timeout: 15_000 });
  await page.keyboard.press('r');
  await expect(page.getByText(/Recording… [2-9]\.\d s/)).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('r');
  await expect(page.getByText('Quality check passed', { exact: true })).toBeVisible({ timeout: 30_000 });
  const submit = main.getByRole('button', { name: 'Submit' });
  await expect(submit).toBeDisabled();
  await expect(page.getByText('This partition asks you to listen to each take before you submit it. Press P.')).toBeVisible();
  await page.keyboard.press('Enter');
  expect(calls).not.toContain('submitTake');

  await page.keyboard.press('p');
  await expect(main.getByRole('button', { name: 'Stop playing' })).toBeVisible();
  await expect(page.getByTestId('live-region')).toContainText('Playing the take back.');
  // The take is about three seconds long; once it has played, Submit is enabled.
  await expect(submit).toBeEnabled({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('live-region')).toContainText('Submitted.');
  expect(calls).toContain('submitTake');
});
