import { test, expect } from './fixtures';

test.describe('the built renderer in Debian Chromium', () => {
  test('loads under the strict CSP without console errors and shows the sign-in form', async ({ openApp }) => {
    const page = await openApp();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.reload();
    await expect(page.getByRole('heading', { name: 'VoiceVault' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByLabel('connection')).toContainText('Local emulator');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(problems).toEqual([]);
  });

  test('signs ada in with the keyboard and shows her partition', async ({ openApp, deployment }) => {
    const page = await openApp();
    const ada = deployment.demoUsers.find((u) => u.username === 'ada')!;
    await page.getByLabel('User name').fill('ada');
    await page.getByLabel('Password').fill(ada.password);
    await page.keyboard.press('Enter');
    await expect(page.getByText('Signed in as')).toContainText('ada');
    await expect(page.getByRole('article', { name: 'partition' })).toContainText('Demo partition');
    await expect(page.getByRole('listitem').first()).toContainText('quick brown fox');
    await page.screenshot({ path: test.info().outputPath('signed-in.png') });
  });

  test('says the password is wrong in plain words and keeps the user name', async ({ openApp }) => {
    const page = await openApp();
    await page.getByLabel('User name').fill('ada');
    await page.getByLabel('Password').fill('Wrong-password-123!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('user name or password is wrong');
    await expect(page.getByLabel('User name')).toHaveValue('ada');
    await expect(page.getByLabel('Password')).toHaveValue('');
  });
});
