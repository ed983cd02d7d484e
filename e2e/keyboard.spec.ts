// Everything by keyboard: sign in, consent, mic check, record, submit, skip a prompt with a reason,
// read the privacy panel and a receipt, sign out. No mouse event is used in this file.
import type { Locator, Page } from '@playwright/test';
import { demoPartition } from '../shared/partition';
import { expect, expectAccessible, passMicrophoneCheck, screenshot, test } from './fixtures';

/** Presses Tab until `target` has focus (at most 40 times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target.toString()} with Tab`);
}

test('a contractor does the whole session with the keyboard only', async ({ openApp, deployment }) => {
  test.setTimeout(180_000);
  const { page, calls } = await openApp();
  const grace = deployment.demoUsers.find((u) => u.username === 'grace')!;

  // The user name field has focus when the window opens.
  await expect(page.getByLabel('User name')).toBeFocused();
  await page.keyboard.type('grace');
  await page.keyboard.press('Tab');
  await page.keyboard.type(grace.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('banner')).toContainText('Signed in as grace');

  const agree = page.getByLabel(/I have read this and agree/);
  await tabTo(page, agree);
  await page.keyboard.press('Space');
  await expect(agree).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Accept and continue' }));
  await page.keyboard.press('Enter');

  await passMicrophoneCheck(page, async (button) => {
    await tabTo(page, button);
    await page.keyboard.press('Enter');
  });
  await tabTo(page, page.getByRole('button', { name: 'Continue to recording' }));
  await page.keyboard.press('Enter');

  // Record and stop with R, submit with Enter.
  const main = page.getByRole('main');
  await expect(main.getByRole('button', { name: 'Record', exact: true })).toBeEnabled({ timeout: 15_000 });
  await page.keyboard.press('r');
  await expect(page.getByText(/Recording… [3-9]\.\d s/)).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('r');
  await expect(page.getByText('Quality check passed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Prompt 2 of 3' })).toBeVisible();

  // S opens "skip and report"; the reason field takes focus; Esc would close it, Enter on the button confirms.
  await page.keyboard.press('s');
  const reason = page.getByLabel(/Why skip this prompt/);
  await expect(reason).toBeFocused();
  await page.keyboard.type('The sentence is hard to say in one breath.');
  await expectAccessible(page, 'skip and report');
  await screenshot(page, '15-skip-and-report');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('form', { name: 'Skip and report this prompt' }).getByRole('button', { name: 'Skip and report' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('live-region')).toContainText('Prompt skipped and reported.');
  await expect(page.getByRole('heading', { name: 'Prompt 3 of 3' })).toBeVisible();
  await expect(page.getByText(demoPartition.prompts[2]!.text)).toBeVisible();
  expect(calls).toContain('skipPrompt');

  // The privacy panel, reached through the navigation.
  await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Privacy' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /Your privacy/ })).toBeVisible();
  await expect(page.getByText('You accepted this version on this device.')).toBeVisible();
  await expectAccessible(page, 'privacy');
  await screenshot(page, '16-privacy');

  // The outbox and a receipt.
  await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Outbox/ }));
  await page.keyboard.press('Enter');
  const item = page.getByRole('listitem', { name: `“${demoPartition.prompts[0]!.text}”` });
  await expect(item).toContainText('Uploaded', { timeout: 60_000 });
  await tabTo(page, item.getByText('Receipt'));
  await page.keyboard.press('Enter');
  await expect(item.getByRole('table')).toBeVisible();
  await screenshot(page, '17-keyboard-focus-receipt');

  // Sign out: back to the sign-in form, and the live region says audio held in the window was erased.
  await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('live-region')).toContainText('Audio held in this window was erased.');
  expect(calls).toContain('signOut');

  // Signing in again: consent is not asked twice for the same version, and the session resumes at
  // the next prompt neither recorded nor skipped.
  await tabTo(page, page.getByLabel('User name'));
  await page.keyboard.type('grace');
  await page.keyboard.press('Tab');
  await page.keyboard.type(grace.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Check your microphone' })).toBeVisible();
  await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Record' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Prompt 3 of 3' })).toBeVisible();
  expect(calls).toContain('getPromptProgress');
});
