// The Electron entry point: thin wiring around the pipeline services (main/session, …).
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { appOrigin, appScheme } from '../../shared/csp';
import { defaultStatePath, readDeployment } from '../aws/deployment';
import { createSessionHandlers } from '../session';
import { registerIpcHandlers } from './ipc';
import { serveAppFile } from './protocol';
import { handleCommonWindowEvents, installPermissionHandlers, secureWebPreferences } from './security';

// Crash dumps could hold audio buffers: the crash reporter is never started, and the sandbox is on for every renderer.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

app.on('web-contents-created', (_event, contents) => handleCommonWindowEvents(contents));

async function start(): Promise<void> {
  const rendererRoot = join(__dirname, '..', 'renderer');
  protocol.handle(appScheme, (request) => serveAppFile(rendererRoot, request.url));
  installPermissionHandlers(session.defaultSession);

  const deployment = await readDeployment(defaultStatePath());
  registerIpcHandlers(ipcMain, createSessionHandlers({ deployment, appVersion: app.getVersion() }));

  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'VoiceVault',
    webPreferences: secureWebPreferences(join(__dirname, 'preload.cjs')),
  });
  await window.loadURL(`${appOrigin}/index.html`);
}

app.whenReady().then(start, (error: unknown) => {
  console.error('VoiceVault could not start:', error instanceof Error ? error.message : error);
  app.quit();
});
app.on('window-all-closed', () => app.quit());
