// The 20-item Electron security checklist, each item run against the real wiring: main.ts is
// imported with a recording `electron` mock (the binary cannot run here), app.whenReady resolves,
// and the tests drive what start() registered. Items 16 and 19 read package.json and
// electron-builder.yml; item 20 lives with the preload (preload/preload.test.ts).
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel, ipcMethods } from '../../shared/ipc-contract';
import type * as ElectronMock from './electron-mock';
import * as ElectronMockModule from './electron-mock';

vi.mock('electron', async () => await import('./electron-mock'));

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let electron: typeof ElectronMock;
let window: ElectronMock.FakeBrowserWindow;

beforeAll(async () => {
  const appPath = await mkdtemp(join(tmpdir(), 'vv-electron-app-'));
  await mkdir(join(appPath, 'dist', 'renderer'), { recursive: true });
  await writeFile(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>VoiceVault</title>');
  await writeFile(join(appPath, 'state.json'), JSON.stringify(ElectronMockModule.emulatorDeployment));
  process.env.VOICEVAULT_STATE = join(appPath, 'state.json');
  // Electron sets this to the app's resources folder (where a release build's deployment.json lives).
  Object.assign(process, { resourcesPath: appPath });
  electron = (await import('electron')) as unknown as typeof ElectronMock;
  electron.state.appPath = appPath;
  electron.state.userDataPath = join(appPath, 'user-data');
  const { started } = await import('./main');
  const opened = await started;
  expect(opened, 'start() opened a window').toBeDefined();
  window = electron.state.windows[0]!;
});

const preferences = () => window.options.webPreferences ?? {};
const allowRequest = (url: string) =>
  new Promise<boolean>((resolve) => electron.state.beforeRequest!({ url }, (answer: { cancel: boolean }) => resolve(!answer.cancel)));

describe('1. only secure content is loaded', () => {
  it('loads the window from the registered secure app:// scheme', () => {
    expect(window.loaded).toEqual(['app://voicevault/index.html']);
    expect(electron.state.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('cancels every renderer request that is not for the app itself', async () => {
    expect(await allowRequest('app://voicevault/assets/index.js')).toBe(true);
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- insecure URLs are what this test refuses
    for (const url of ['http://example.com/x.js', 'https://example.com/x.js', 'ws://127.0.0.1:9/', 'file:///etc/passwd', 'app://other/index.html', 'data:text/html,hi']) {
      expect(await allowRequest(url), url).toBe(false);
    }
  });
});

describe('2–4, 6, 8–10: the window preferences start() uses', () => {
  it('2. node integration is off everywhere', () => {
    expect(preferences()).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });
  it('3. context isolation is on', () => expect(preferences().contextIsolation).toBe(true));
  it('4. the sandbox is on, for this window and app-wide', () => {
    expect(preferences().sandbox).toBe(true);
    expect(electron.state.calls).toContain('app.enableSandbox');
  });
  it('6. web security is not disabled', () => expect(preferences().webSecurity).toBe(true));
  it('8. insecure content never runs', () => expect(preferences().allowRunningInsecureContent).toBe(false));
  it('9. no experimental features', () => expect(preferences().experimentalFeatures).toBe(false));
  it('10. no enableBlinkFeatures', () => expect(preferences()).not.toHaveProperty('enableBlinkFeatures'));
  it('uses the bundled preload from the app folder', () => {
    expect(preferences().preload).toBe(join(electron.state.appPath, 'dist', 'main', 'preload.cjs'));
  });
});

describe('5. permissions: only audio capture, only for the app origin', () => {
  const request = (permission: string, details: Record<string, unknown>) =>
    new Promise<boolean>((resolve) => electron.state.permissionRequestHandler!(electron.fakeWebContents(), permission, resolve, details));
  const check = (permission: string, origin: string, details: Record<string, unknown>) =>
    electron.state.permissionCheckHandler!(electron.fakeWebContents(), permission, origin, details) as boolean;

  it('grants the app a microphone and nothing more', async () => {
    expect(await request('media', { mediaTypes: ['audio'], requestingUrl: 'app://voicevault/index.html' })).toBe(true);
    expect(await request('media', { mediaTypes: ['audio', 'video'], requestingUrl: 'app://voicevault/index.html' })).toBe(false);
    expect(await request('media', { mediaTypes: ['video'], requestingUrl: 'app://voicevault/index.html' })).toBe(false);
    expect(await request('media', { mediaTypes: ['audio'], requestingUrl: 'https://evil.example/' })).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal', 'fullscreen']) {
      expect(await request(permission, { requestingUrl: 'app://voicevault/index.html' }), permission).toBe(false);
    }
  });

  it('answers permission checks the same way', () => {
    expect(check('media', 'app://voicevault', { mediaType: 'audio' })).toBe(true);
    expect(check('media', 'app://voicevault', { mediaType: 'video' })).toBe(false);
    expect(check('media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
    expect(check('geolocation', 'app://voicevault', {})).toBe(false);
  });

  it('refuses USB/HID/serial devices and screen capture', async () => {
    expect(electron.state.devicePermissionHandler!({ deviceType: 'usb', origin: 'app://voicevault' })).toBe(false);
    const streams = await new Promise((resolve) => electron.state.displayMediaRequestHandler!({}, resolve));
    expect(streams).toEqual({});
  });
});

describe('7. a strict CSP, as header and meta', () => {
  it('serves every app:// file with the CSP header', async () => {
    const handler = electron.state.protocolHandlers.get('app')!;
    const response = await handler(new Request('app://voicevault/index.html'));
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\bblob:.*script|\*/);
  });

  it('injects the same policy as a <meta> tag into the built page', async () => {
    const viteConfig = await readFile(join(repoRoot, 'renderer', 'vite.config.ts'), 'utf8');
    expect(viteConfig).toContain('contentSecurityPolicyMeta');
  });
});

describe('11–12. no <webview>', () => {
  it('11. the renderer source has no <webview> tag and the window cannot create one', async () => {
    const sources = await filesUnder(join(repoRoot, 'renderer'), /\.(tsx?|html)$/);
    expect(sources.length).toBeGreaterThan(3);
    for (const file of sources) expect((await readFile(file, 'utf8')).toLowerCase(), file).not.toContain('<webview');
    expect(preferences().webviewTag).toBe(false);
  });

  it('12. will-attach-webview is prevented', () => {
    expect(window.webContents.emit('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('13–14. navigation and new windows are denied', () => {
  it('13. denies navigation, frame navigation and redirects, for the window and any other webContents', () => {
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(window.webContents.emit(name, 'https://evil.example/'), name).toBe(true);
    }
    const other = electron.fakeWebContents('about:blank');
    for (const listener of electron.state.appListeners.get('web-contents-created') ?? []) listener({}, other);
    expect(other.emit('will-navigate', 'https://evil.example/')).toBe(true);
  });

  it('14. denies every new window; an allow-listed link opens in the browser instead', () => {
    const open = window.webContents.windowOpenHandler!;
    expect(open({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'app://voicevault/index.html' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://docs.aws.amazon.com/kms/latest/developerguide/overview.html' })).toEqual({ action: 'deny' });
    expect(electron.state.openedExternally).toEqual(['https://docs.aws.amazon.com/kms/latest/developerguide/overview.html']);
  });
});

describe('15. the allow-list itself', () => {
  it('passes only https links under the listed prefixes', async () => {
    const { isAllowedExternalUrl } = await import('./safe-shell');
    expect(isAllowedExternalUrl('https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/introduction.html')).toBe(true);
    for (const url of [
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- an insecure URL is what this test refuses
      'http://docs.aws.amazon.com/kms/',
      'https://docs.aws.amazon.com.evil.example/kms/',
      'https://docs.aws.amazon.com@evil.example/kms/',
      'https://user:pw@docs.aws.amazon.com/kms/',
      'https://docs.aws.amazon.com:8443/kms/',
      'https://docs.aws.amazon.com/kmsx',
      'https://docs.aws.amazon.com/kms/../s3/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('15. shell.openExternal only through the allow-list', () => {
  it('no code but safe-shell.ts calls shell.openExternal, and only main.ts hands it the shell', async () => {
    const sources = [...(await filesUnder(join(repoRoot, 'main'), /\.ts$/)), ...(await filesUnder(join(repoRoot, 'preload'), /\.ts$/))].filter(
      (file) => !file.endsWith('.test.ts') && !file.endsWith('electron-mock.ts'),
    );
    const callers: string[] = [];
    const importers: string[] = [];
    for (const file of sources) {
      const text = await readFile(file, 'utf8');
      if (/\bshell\s*\.\s*openExternal\b/.test(text)) callers.push(file.slice(repoRoot.length));
      if (/import\s*\{[^}]*\bshell\b[^}]*\}\s*from\s*'electron'/.test(text)) importers.push(file.slice(repoRoot.length));
    }
    expect(callers).toEqual(['main/electron/safe-shell.ts']);
    expect(importers).toEqual(['main/electron/main.ts']);
  });
});

describe('16. a current Electron', () => {
  it('pins a major that Electron still supports (the latest three), installed as pinned', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const pinnedMajor = Number(/(\d+)\./.exec(pkg.devDependencies.electron ?? '')?.[1]);
    const installed = JSON.parse(await readFile(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
    expect(Number(installed.version.split('.')[0])).toBe(pinnedMajor);
    // Electron ships a major at most every 8 weeks (schedule since v15; 40.0.0 was 2026-01-13) and
    // supports the latest three. 9 weeks per major is a conservative floor for what exists today.
    const weeksSince40 = (Date.now() - Date.UTC(2026, 0, 13)) / (7 * 24 * 3600 * 1000);
    const newestMajorAtLeast = 40 + Math.floor(weeksSince40 / 9);
    expect(pinnedMajor, `Electron ${pinnedMajor} is out of support: upgrade to ${newestMajorAtLeast - 2} or newer`).toBeGreaterThanOrEqual(newestMajorAtLeast - 2);
  });
});

describe('17. every IPC message: sender checked, payload checked', () => {
  it('registers exactly the contract channels', () => {
    expect([...electron.state.ipcHandlers.keys()].sort()).toEqual(ipcMethods.map(ipcChannel).sort());
    expect(electron.state.calls.filter((call) => call.startsWith('ipcMain.on'))).toEqual([]);
  });

  it('refuses frames that are not the app, and payloads outside the schema', async () => {
    const handle = electron.state.ipcHandlers.get(ipcChannel('signIn'))!;
    const fromApp = { senderFrame: { url: 'app://voicevault/index.html', parent: null } };
    for (const event of [{ senderFrame: { url: 'https://evil.example/', parent: null } }, { senderFrame: { url: 'app://voicevault/', parent: {} } }, { senderFrame: null }]) {
      expect(await handle(event, { username: 'ada', password: 'x' })).toMatchObject({ type: 'error', code: 'AccessDenied' });
    }
    expect(await handle(fromApp, { username: 'ada', password: 'x', admin: true })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await handle(fromApp, 'ada')).toMatchObject({ type: 'error', code: 'InvalidArgument' });
  });
});

describe('18. no file://', () => {
  it('serves the renderer over app:// and never registers a file protocol', () => {
    expect([...electron.state.protocolHandlers.keys()]).toEqual(['app']);
    expect(electron.state.calls).not.toContain('protocol.registerFileProtocol');
  });

  it('refuses traversal out of the renderer folder', async () => {
    const handler = electron.state.protocolHandlers.get('app')!;
    expect((await handler(new Request('app://voicevault/..%2f..%2fstate.json'))).status).toBe(404);
  });
});

describe('19. fuses, as electron-builder.yml sets them', () => {
  it('turns off RunAsNode, NODE_OPTIONS, CLI inspect and file:// privileges; turns on cookie encryption, asar-only and asar integrity', async () => {
    const config = parseYaml(await readFile(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean>; asar: boolean };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});

describe('also', () => {
  it('never starts the crash reporter (dumps could hold audio)', () => {
    expect(electron.state.calls).not.toContain('crashReporter.start');
  });

  it('takes the single-instance lock and focuses the window when a second instance starts', () => {
    expect(electron.state.calls).toContain('app.requestSingleInstanceLock');
    for (const listener of electron.state.appListeners.get('second-instance') ?? []) listener({}, [], '/');
    expect(window.focused).toBe(1);
  });

  it('keeps secrets in files the OS keychain encrypted', async () => {
    const { composeSessionContext } = await import('./compose');
    const context = await composeSessionContext({
      appVersion: '0',
      isPackaged: false,
      appPath: electron.state.appPath,
      resourcesPath: electron.state.appPath,
      userDataPath: electron.state.userDataPath,
      safeStorage: electron.safeStorage,
    });
    await context.secretStore.set('refresh-token', new TextEncoder().encode('very secret'));
    const stored = await readFile(join(electron.state.userDataPath, 'secrets', 'refresh-token.secret'));
    expect(stored.toString('utf8')).not.toContain('very secret');
    expect(new TextDecoder().decode(await context.secretStore.get('refresh-token'))).toBe('very secret');
  });
});

async function filesUnder(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path, pattern);
      return pattern.test(entry.name) ? [path] : [];
    }),
  );
  return nested.flat();
}
