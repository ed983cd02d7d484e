// The admin area in Chromium, against the real main-process services and moto: an admin creates p2 from a
// prompt TSV (a malformed one is refused first, naming the problem), assigns grace, and sees the bucket
// lifecycle hold p2's rule and the demo partition's; grace signs in to p2's consent and prompts, imports a
// take that lands under p2, and asks to withdraw; the admin erases her from the requests page; the access
// review exports as CSV. A contractor never sees the admin area, and main refuses her admin calls.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { s3ClientConfig } from '../main/aws/target';
import { expect, expectAccessible, referenceClip, screenshot, signInAs, test } from './fixtures';

test.use({ emulatorName: 'admin' });

const promptsTsv = 'id\ttext\nn1\tPartition two, first prompt: the harbour lights were dim.\nn2\tPartition two, second prompt: seven seals slid into the sea.\n';
const consentText = 'I agree that partition two keeps my sealed raw audio for 120 days.';

test('an admin configures p2, grace records into it and withdraws, the admin erases her; a contractor never gets in', async ({ openApp, deployment, emulator }) => {
  test.setTimeout(240_000);
  const s3 = new S3Client(s3ClientConfig(emulator.adminTarget));
  const keys = async (prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: deployment.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();

  // The admin signs in like anyone else and gets the admin area.
  const { page: admin } = await openApp();
  await signInAs(admin, deployment, 'admin');
  const adminNav = admin.getByRole('navigation', { name: 'Admin' });
  await expect(adminNav).toBeVisible();
  await expect(admin.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  const partitions = admin.getByRole('table', { name: 'Partitions and their status' });
  await expect(partitions.getByRole('row').filter({ hasText: 'Demo partition' })).toContainText('log-mel');
  await expectAccessible(admin, 'admin partitions');

  // A new partition, first with Glacier after expiry: refused in words, nothing written.
  await admin.getByRole('button', { name: 'New partition' }).click();
  const editor = admin.getByRole('form', { name: 'New partition' });
  await editor.getByLabel('Partition id').fill('p2');
  await editor.getByLabel('Display name').fill('Partition two');
  await editor.getByLabel('Keep the raw audio (sealed)').check();
  await editor.getByLabel('Raw audio to Glacier after (days)').fill('400');
  await editor.getByLabel('Raw audio deleted after (days)').fill('120');
  await editor.getByLabel('Feature tier').selectOption('mfcc');
  await editor.getByLabel('Import prompts from a TSV file').setInputFiles({ name: 'p2-prompts.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(promptsTsv) });
  await expect(editor.getByLabel('Prompts, one per line: id, a tab, the text')).toHaveValue(/^id\ttext\nn1\tPartition two, first prompt/);
  await editor.getByLabel('Consent version').fill('p2-2026');
  await editor.getByLabel('Consent text').fill(consentText);
  await expectAccessible(admin, 'admin partition editor');
  await editor.getByRole('button', { name: 'Create partition' }).click();
  await expect(editor.getByRole('alert')).toHaveText(
    'Partition p2 was not saved:\n  rawGlacierDays: raw audio would move to Glacier after 400 days but expire after 120; rawGlacierDays must be below rawExpireDays',
  );
  expect(await keys('config/partitions/')).toEqual(['config/partitions/demo.json']);
  await screenshot(admin, '30-admin-partition-refused');

  await editor.getByLabel('Raw audio to Glacier after (days)').fill('14');
  await editor.getByRole('button', { name: 'Create partition' }).click();
  await expect(admin.getByRole('heading', { name: 'Partition Partition two (p2)' })).toBeVisible();
  await expect(admin.getByRole('main').getByText('Partition p2 saved. Its retention rule is in the bucket lifecycle.')).toBeVisible();
  await expect(admin.getByRole('region', { name: 'Retention as applied' })).toContainText('Objects under raw/p2/: to Glacier after 14 days; deleted after 120 days.');
  await expect(admin.getByRole('list', { name: 'May do' })).toContainText('Upload raw audio, sealed, under raw/p2/<their id>/: it moves to Glacier after 14 days and is deleted after 120.');
  await expect(admin.getByRole('list', { name: 'May not do' })).toContainText('Decrypt anything');

  // Assign grace (a move from demo: she is signed out everywhere and picks p2 up at her next sign-in).
  await admin.getByLabel('Contractor to add').selectOption('grace');
  await admin.getByRole('button', { name: 'Assign to p2' }).click();
  await expect(admin.getByRole('main').getByText('grace now belongs to p2 (was demo; signed out everywhere). It applies at their next sign-in.')).toBeVisible();
  await expect(admin.getByRole('list', { name: 'Members' })).toContainText('grace');
  await expectAccessible(admin, 'admin partition detail');
  await screenshot(admin, '31-admin-partition-p2');

  // The lifecycle holds p2's rule and the demo partition's, and the global rules.
  await adminNav.getByRole('button', { name: 'Lifecycle' }).click();
  const rules = admin.getByRole('table', { name: 'Lifecycle rules' });
  await expect(rules.getByRole('row').filter({ hasText: 'voicevault-raw-p2' })).toContainText('Objects under raw/p2/: to Glacier after 14 days; deleted after 120 days.');
  await expect(rules.getByRole('row').filter({ hasText: 'voicevault-raw-demo' })).toContainText('Objects under raw/demo/: to Glacier after 30 days; deleted after 365 days.');
  await expect(rules.getByRole('row')).toHaveCount(5);
  await adminNav.getByRole('button', { name: 'Alarms' }).click();
  await expect(admin.getByRole('main').getByText('No VoiceVault alarms exist in this deployment.')).toBeVisible();

  // Grace, freshly signed in, is in p2: its consent, then its prompts.
  const { page: grace, calls: graceCalls } = await openApp();
  await signInAs(grace, deployment, 'grace');
  await expect(grace.getByRole('banner')).toContainText('Partition two');
  await expect(grace.getByRole('main').getByText(consentText)).toBeVisible();
  await grace.getByLabel(/I have read this and agree \(consent version p2-2026\)/).check();
  await grace.getByRole('button', { name: 'Accept and continue' }).click();
  await grace.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Record' }).click();
  await expect(grace.locator('.prompt-text')).toHaveText('Partition two, first prompt: the harbour lights were dim.');
  await expect(grace.getByRole('navigation', { name: 'Admin' })).toHaveCount(0);

  // Her take lands under p2: raw (p2 keeps it), features and manifest.
  await grace.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();
  await grace.getByLabel('Choose files…').setInputFiles({ name: 'reading-p2.wav', mimeType: 'audio/wav', buffer: await readFile(referenceClip) });
  await expect(grace.getByRole('list', { name: 'import results' }).getByRole('listitem').filter({ hasText: 'reading-p2.wav' })).toContainText('accepted', { timeout: 60_000 });
  await expect.poll(async () => (await keys('manifests/p2/')).length, { timeout: 60_000 }).toBe(1);
  const [manifest] = await keys('manifests/p2/');
  const graceId = manifest!.split('/')[2]!;
  const sample = manifest!.split('/')[3]!.replace('.sealed', '');
  await expect.poll(async () => [...(await keys(`raw/p2/${graceId}/`)), ...(await keys(`features/p2/${graceId}/`))], { timeout: 60_000 }).toEqual([`raw/p2/${graceId}/${sample}.sealed`, `features/p2/${graceId}/${sample}.speech16k.sealed`]);
  expect(graceCalls.filter((m) => m.startsWith('admin'))).toEqual([]);

  // She asks to withdraw consent and erase her samples from the privacy screen (asked twice; the request is sealed under her prefix).
  await grace.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Privacy' }).click();
  await grace.getByRole('button', { name: 'Withdraw consent and erase my samples…' }).click();
  await grace.getByRole('button', { name: 'Yes, withdraw consent and erase my samples' }).click();
  await expect(grace.getByRole('status').filter({ hasText: 'request to withdraw consent was sent' })).toContainText(/reference [0-9A-Z]{26}/);

  // The admin sees it (from its key) and erases her, confirming by name.
  await adminNav.getByRole('button', { name: 'Withdrawal requests' }).click();
  const requests = admin.getByRole('table', { name: 'Pending consent-withdrawal requests' });
  await expect(requests.getByRole('row').filter({ hasText: 'grace' })).toContainText('p2');
  await expectAccessible(admin, 'admin withdrawal requests');
  await requests.getByRole('button', { name: 'Erase grace…' }).click();
  await admin.getByLabel('Type grace to confirm').fill('grace');
  await admin.getByRole('button', { name: 'Erase grace', exact: true }).click();
  await expect(admin.getByRole('main').getByRole('status')).toContainText('Erased grace: 4 object versions (1 samples) removed; reason consent-withdrawn.');
  await expect(admin.getByRole('main').getByText('No pending requests.')).toBeVisible();
  await screenshot(admin, '32-admin-erased');
  for (const top of ['raw', 'features', 'manifests', 'requests']) expect(await keys(`${top}/p2/${graceId}/`)).toEqual([]);
  const [feedKey] = await keys('deletions/');
  const feed = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: feedKey! }))).Body!.transformToString()) as { partition: string; samples: string[]; reason: string };
  expect(feed).toMatchObject({ partition: 'p2', samples: [sample], reason: 'consent-withdrawn' });

  // The access review, and the same as a CSV download.
  await adminNav.getByRole('button', { name: 'Access review' }).click();
  const review = admin.getByRole('table', { name: 'Every user and their access' });
  await expect(review.getByRole('row').filter({ hasText: 'grace' })).toContainText('p2');
  await expectAccessible(admin, 'admin access review');
  const download = admin.waitForEvent('download');
  await admin.getByRole('button', { name: 'Export as CSV' }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  expect(rows.map((r) => [r.username, r.role, r.partition, r.status])).toEqual([
    ['ada', 'contractor', 'demo', 'active'],
    ['grace', 'contractor', 'p2', 'active'],
    ['admin', 'admin', '', 'active'],
  ]);
  await screenshot(admin, '33-admin-access-review');

  // A contractor sees no admin area, and main refuses her admin calls even from the page's own bridge.
  const { page: ada, calls: adaCalls } = await openApp();
  await signInAs(ada, deployment, 'ada');
  await expect(ada.getByRole('navigation', { name: 'Main' })).toBeHidden(); // consent first
  await expect(ada.getByRole('navigation', { name: 'Admin' })).toHaveCount(0);
  await expect(ada.getByRole('button', { name: 'New partition' })).toHaveCount(0);
  const refused = await ada.evaluate(async () => {
    const api = (window as unknown as { voicevault: Record<string, (request?: unknown) => Promise<unknown>> }).voicevault;
    return Promise.all([api.adminListPartitions!(), api.adminAccessReview!(), api.adminEraseContractor!({ contractor: 'grace', confirm: 'grace' })]);
  });
  expect(refused).toEqual([0, 1, 2].map(() => ({ type: 'error', code: 'AccessDenied', message: 'Only admins may do this.' })));
  expect(adaCalls.filter((m) => m.startsWith('admin'))).toEqual(['adminListPartitions', 'adminAccessReview', 'adminEraseContractor']);
  s3.destroy();
});
