import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../shared/csp';
import { ipcChannel, ipcMethods, type IpcHandlers } from '../../shared/ipc-contract';
import { isTrustedSender, registerIpcHandlers } from './ipc';
import { resolveAppFile, serveAppFile } from './protocol';
import { handleCommonWindowEvents, isPermissionAllowed, secureWebPreferences } from './security';

describe('window preferences', () => {
  it('keep node out, isolate context, sandbox, web security on, nothing experimental', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(secureWebPreferences('/p.cjs')).not.toHaveProperty('enableBlinkFeatures');
  });
});

describe('common window events', () => {
  function fakeContents() {
    const listeners: Record<string, (event: { preventDefault: () => void }) => void> = {};
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, listener: (event: { preventDefault: () => void }) => void) => (listeners[name] = listener),
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    };
    return { contents, listeners, open: (url: string) => openHandler?.({ url }) };
  }

  it('denies navigation, redirects, webviews and new windows', () => {
    const { contents, listeners, open } = fakeContents();
    handleCommonWindowEvents(contents as never);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      listeners[name]!(event);
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(open('https://example.com')).toEqual({ action: 'deny' });
    expect(open('app://voicevault/index.html')).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('allow audio capture for the app origin only', () => {
    expect(isPermissionAllowed('media', 'app://voicevault/index.html', { mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionAllowed('media', 'app://voicevault/index.html', { mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(isPermissionAllowed('media', 'app://voicevault/index.html', {})).toBe(false);
    expect(isPermissionAllowed('media', 'https://evil.example/', { mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed('geolocation', 'app://voicevault/index.html')).toBe(false);
    expect(isPermissionAllowed('notifications', 'app://voicevault/')).toBe(false);
  });
});

describe('IPC wiring', () => {
  const handlers = {
    getAppInfo: async () => ({ version: '1', target: 'emulator', region: 'eu-central-1' }),
  } as unknown as IpcHandlers;

  function register() {
    const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
    registerIpcHandlers({ handle: (channel: string, listener: never) => registered.set(channel, listener) } as never, handlers);
    return registered;
  }

  it('registers exactly one channel per contract method', () => {
    expect([...register().keys()].sort()).toEqual(ipcMethods.map(ipcChannel).sort());
  });

  it('answers the app frame and refuses other senders and subframes', async () => {
    const handle = register().get(ipcChannel('getAppInfo'))!;
    const appFrame = { senderFrame: { url: 'app://voicevault/index.html', parent: null } };
    expect(await handle(appFrame, undefined)).toMatchObject({ type: 'success' });
    for (const event of [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'app://voicevault/index.html', parent: {} } },
      { senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { senderFrame: null },
    ]) {
      expect(isTrustedSender(event as never)).toBe(false);
      expect(await handle(event, undefined)).toMatchObject({ type: 'error', code: 'AccessDenied' });
    }
  });
});

describe('app:// protocol', () => {
  it('serves files under the renderer root with the CSP header and refuses traversal', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vv-renderer-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>VoiceVault</title>');
    const response = await serveAppFile(root, 'app://voicevault/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await response.text()).toContain('VoiceVault');
    // The URL parser folds dot segments into the root; encoded slashes would escape it, so they are refused.
    expect(resolveAppFile(root, 'app://voicevault/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppFile(root, 'app://voicevault/..%2f..%2fetc%2fpasswd')).toBeUndefined();
    expect((await serveAppFile(root, 'app://voicevault/..%2f..%2fetc%2fpasswd')).status).toBe(404);
    expect((await serveAppFile(root, 'app://voicevault/missing.js')).status).toBe(404);
  });

  it('has a strict CSP: no unsafe-inline, no unsafe-eval, connect-src self only', () => {
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(contentSecurityPolicy).toContain("connect-src 'self'");
    expect(contentSecurityPolicy).toContain("default-src 'none'");
  });
});
