// Every sign-in step the user pool can ask for, in the window: a new password at first sign-in,
// TOTP enrolment with a QR code drawn in the page, the six-digit code at later sign-ins, and forgot
// password. MFA is switched on for the whole pool here, so this file gets its own emulator.
import { AdminCreateUserCommand, CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import type { Page } from '@playwright/test';
import { clientConfig } from '../main/aws/target';
import { expect, expectAccessible, screenshot, test } from './fixtures';

test.use({ emulatorName: 'mfa-required' });

/** A code for the next fresh 30-second window, so no code is used twice. */
async function freshCode(secret: string, used: Set<string>): Promise<string> {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  for (;;) {
    const into = Date.now() % 30_000;
    const code = totp.generate();
    if (into < 25_000 && !used.has(code)) {
      used.add(code);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 30_000 - into + 250));
  }
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
}

test('new password, authenticator enrolment with a QR code, six-digit codes and forgot password', async ({ openApp, emulator }) => {
  test.setTimeout(240_000);
  const { deployment, adminTarget } = emulator;
  const admin = new CognitoIdentityProviderClient(clientConfig(adminTarget));
  await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: deployment.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: deployment.userPoolId,
      Username: 'tove',
      TemporaryPassword: 'Temporary-Pass-123!',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'tove@voicevault.local' },
        { Name: 'custom:partition', Value: 'demo' },
      ],
    }),
  );
  admin.destroy();
  // The real stack's client signs in with SRP only; the emulator's also allows passwords.
  const { page } = await openApp({ handlerOptions: { passwordFlow: 'USER_SRP_AUTH' } });
  const used = new Set<string>();

  await page.getByLabel('User name').fill('tove');
  await page.getByLabel('Password').fill('Temporary-Pass-123!');
  await page.keyboard.press('Enter');

  // 1. The admin's temporary password must be replaced.
  await expect(page.getByRole('form', { name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page, 'new password');
  await screenshot(page, '18-new-password');
  await page.getByLabel('New password', { exact: true }).fill('Tove-chose-this-1!');
  await page.getByLabel('New password again').fill('Tove-chose-this-2!');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passwords are not the same. Type the new password twice.');
  await page.getByLabel('New password', { exact: true }).fill('Tove-chose-this-1!');
  await page.getByLabel('New password again').fill('Tove-chose-this-1!');
  await page.getByRole('button', { name: 'Set password' }).click();

  // 2. Enrol an authenticator: a QR code drawn on a canvas from the otpauth URI, and the key as text.
  await expect(page.getByRole('form', { name: 'Set up your authenticator' })).toBeVisible();
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  const otpauth = (await qr.getAttribute('data-otpauth'))!;
  expect(otpauth).toMatch(/^otpauth:\/\/totp\/.*secret=/);
  expect(new URL(otpauth).searchParams.get('issuer')).toBeTruthy();
  // What a person types when they cannot scan.
  const secret = (await page.locator('code.secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{8,}$/i);
  // The canvas holds a drawn code: both dark and light modules, square.
  const pixels = await qr.evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
    return { dark, total: data.length / 4, square: canvas.width === canvas.height };
  });
  expect(pixels.square).toBe(true);
  expect(pixels.dark / pixels.total).toBeGreaterThan(0.2);
  expect(pixels.dark / pixels.total).toBeLessThan(0.8);
  await expectAccessible(page, 'authenticator enrolment');
  await screenshot(page, '19-authenticator-qr');
  await page.getByLabel('Six-digit code').fill('000000');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Six-digit code').fill(await freshCode(secret, used));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('banner')).toContainText('Signed in as tove');
  await signOut(page);

  // 3. Later sign-ins ask for the six-digit code.
  await page.getByLabel('User name').fill('tove');
  await page.getByLabel('Password').fill('Tove-chose-this-1!');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form', { name: 'Enter your code' })).toBeVisible();
  await expectAccessible(page, 'six-digit code');
  await screenshot(page, '20-six-digit-code');
  await page.getByLabel('Six-digit code').fill(await freshCode(secret, used));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('banner')).toContainText('Signed in as tove');
  await signOut(page);

  // 4. Forgot password: the pool sends a code to the recovery address; a new password is set with it.
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('form', { name: 'Reset your password' })).toBeVisible();
  await expectAccessible(page, 'forgot password');
  await page.getByLabel('User name').fill('tove');
  await page.getByRole('button', { name: 'Send me a code' }).click();
  const confirm = page.getByRole('form', { name: 'Choose a new password' });
  await expect(confirm).toContainText(/We sent a code to \S+/);
  await screenshot(page, '21-forgot-password-code');
  await page.getByLabel('Code from the message').fill('123456');
  await page.getByLabel('New password', { exact: true }).fill('Tove-reset-this-3!');
  await page.getByLabel('New password again').fill('Tove-reset-this-3!');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password was changed. Sign in with the new one.')).toBeVisible();
  await page.getByLabel('User name').fill('tove');
  await page.getByLabel('Password').fill('Tove-reset-this-3!');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form', { name: 'Enter your code' })).toBeVisible();
});
