// Registers one handler per contract method. Every message's sender must be a frame of the app's
// own origin, and its payload must match the contract's schema (dispatchIpc) before a handler runs.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ipcChannel, ipcMethods, type IpcHandlers } from '../../shared/ipc-contract';
import { dispatchIpc } from '../session/dispatch';
import { isAppUrl } from './security';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return Boolean(frame && frame.parent === null && isAppUrl(frame.url));
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, handlers: IpcHandlers): void {
  for (const method of ipcMethods) {
    ipcMain.handle(ipcChannel(method), async (event, payload: unknown) => {
      if (!isTrustedSender(event)) return { type: 'error', code: 'AccessDenied', message: 'Request refused.' };
      return dispatchIpc(handlers, method, payload);
    });
  }
}
