// The Electron entry point: thin wiring around the pipeline services (main/session, …). Everything
// here runs under a mocked `electron` in main.test.ts and checklist.test.ts, since the binary cannot
// run on the build machine.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { appOrigin, appScheme } from '../../shared/csp';
import { composeSessionHandlers } from './compose';
import { registerIpcHandlers } from './ipc';
import { serveAppFile } from './protocol';
import { createSafeShell } from './safe-shell';
import { handleCommonWindowEvents, installPermissionHandlers, restrictRendererRequests, secureWebPreferences } from './security';

// Crash dumps could hold audio buffers: the crash reporter is never started, and the sandbox is on for every renderer.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const safeShell = createSafeShell(shell);
let mainWindow: BrowserWindow | undefined;

// Every webContents (windows, and anything a compromised page might try to open) gets the same rules.
app.on('web-contents-created', (_event, contents) => handleCommonWindowEvents(contents, (url) => safeShell.openExternal(url)));

/** Builds the services, serves the renderer over app:// and opens the one window. */
export async function start(): Promise<BrowserWindow> {
  const appPath = app.getAppPath();
  const rendererRoot = join(appPath, 'dist', 'renderer');
  protocol.handle(appScheme, (request) => serveAppFile(rendererRoot, request.url));
  installPermissionHandlers(session.defaultSession);
  restrictRendererRequests(session.defaultSession);

  const handlers = await composeSessionHandlers({
    appVersion: app.getVersion(),
    isPackaged: app.isPackaged,
    appPath,
    resourcesPath: process.resourcesPath,
    userDataPath: app.getPath('userData'),
    safeStorage,
  });
  registerIpcHandlers(ipcMain, handlers);

  const window = new BrowserWindow({
    width: 1100,
    height: 800,
    minWidth: 720,
    minHeight: 560,
    title: 'VoiceVault',
    show: false,
    webPreferences: secureWebPreferences(join(appPath, 'dist', 'main', 'preload.cjs')),
  });
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => (mainWindow = undefined));
  await window.loadURL(`${appOrigin}/index.html`);
  return window;
}

function fail(error: unknown): undefined {
  console.error('VoiceVault could not start:', error instanceof Error ? error.message : error);
  app.quit();
  return undefined;
}

// One VoiceVault at a time: two would share (and race on) the outbox and the secret store.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});
app.on('window-all-closed', () => app.quit());

/** Resolves with the window once started (undefined if another instance runs or start failed). */
export const started: Promise<BrowserWindow | undefined> = primary ? app.whenReady().then(start).catch(fail) : Promise.resolve(undefined);
