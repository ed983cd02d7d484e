// The one IPC contract. The preload bridge, the main-process handlers, the renderer's types and
// the Playwright loopback bridge are all derived from this object, so they cannot drift.
import { z } from 'zod';
import type { ErrorResult } from './errors';
import type { IpcMethod } from './ipc-channels';
import type { Partition } from './partition';

export { ipcChannel, ipcMethods, isIpcMethod, type IpcMethod } from './ipc-channels';

export interface AppInfo {
  version: string;
  target: 'emulator' | 'aws';
  region: string;
}

export interface SessionSummary {
  username: string;
  partition: string;
}

export type Result<T> = { type: 'success'; value: T } | ErrorResult;

const noArguments = z.undefined();

/** Request schemas, checked in main before any handler runs; the response types ride along. */
export const ipcContract = {
  getAppInfo: { request: noArguments, response: {} as AppInfo },
  signIn: {
    request: z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(256) }).strict(),
    response: {} as SessionSummary,
  },
  signOut: { request: noArguments, response: {} as { signedOut: true } },
  getPartition: { request: noArguments, response: {} as Partition },
  // `satisfies` with excess-property checks: exactly the methods of ipc-channels.ts, no more.
} as const satisfies Record<IpcMethod, { request: z.ZodType; response: unknown }>;

export type IpcContract = typeof ipcContract;
export type IpcRequest<M extends IpcMethod> = z.infer<IpcContract[M]['request']>;
export type IpcResponse<M extends IpcMethod> = IpcContract[M]['response'];

/** What the renderer sees as `window.voicevault`: one async function per method, nothing else. */
export type VoiceVaultApi = {
  [M in IpcMethod]: IpcRequest<M> extends undefined ? () => Promise<Result<IpcResponse<M>>> : (request: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>;
};

/** Main-process implementations, one per method. */
export type IpcHandlers = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResponse<M>>;
};
