// The Electron security checklist as code: every window gets these preferences and handlers.
import type { Session, WebContents, WebPreferences } from 'electron';
import { appHost, appScheme } from '../../shared/csp';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    contextIsolation: true,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function isAppUrl(url: string): boolean {
  try {
    // URL.origin is "null" for custom schemes, so compare scheme and host.
    const parsed = new URL(url);
    return parsed.protocol === `${appScheme}:` && parsed.host === appHost;
  } catch {
    return false;
  }
}

/**
 * What the renderer's session may fetch: its own app:// files and nothing else (no http, no file://,
 * no other scheme). The main process talks to AWS itself, outside this session. DevTools is allowed
 * so a development build can be inspected; release builds cannot open it (fuses, no menu).
 */
export function isAllowedRendererRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  return url.startsWith('devtools://');
}

/**
 * Navigation, new windows and <webview> are denied for every window (cf. Signal's
 * handleCommonWindowEvents). A link that wants a new window is handed to `openExternal`, which is the
 * allow-listed shell wrapper (safe-shell.ts), never Electron's shell directly.
 */
export function handleCommonWindowEvents(contents: WebContents, openExternal: (url: string) => void = () => undefined): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** Only audio capture, and only for the app's own origin; everything else is refused. */
export function isPermissionAllowed(permission: string, requestingUrl: string, details: { mediaTypes?: string[] } = {}): boolean {
  if (!isAppUrl(requestingUrl)) return false;
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio');
}

export function installPermissionHandlers(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes as string[] | undefined) : undefined;
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), mediaTypes ? { mediaTypes } : {}));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const mediaType = (details as { mediaType?: string }).mediaType;
    return isPermissionAllowed(permission, requestingOrigin, mediaType ? { mediaTypes: [mediaType] } : {});
  });
  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler(() => false);
  // Screen capture: never (the permission handlers above already refuse "display-capture").
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

/** Cancels every request of the renderer's session that is not for the app's own files. */
export function restrictRendererRequests(session: Session): void {
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRendererRequest(details.url) }));
}
