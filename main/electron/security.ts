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

/** Navigation, new windows and <webview> are denied for every window (cf. Signal's handleCommonWindowEvents). */
export function handleCommonWindowEvents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
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
}
