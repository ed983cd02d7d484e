// The one IPC contract. The preload bridge, the main-process handlers, the renderer's types and
// the Playwright loopback bridge are all derived from this object, so they cannot drift.
import { z } from 'zod';
import type { ErrorResult } from './errors';
import type { Partition } from './partition';

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
} as const;

export type IpcContract = typeof ipcContract;
export type IpcMethod = keyof IpcContract;
export type IpcRequest<M extends IpcMethod> = z.infer<IpcContract[M]['request']>;
export type IpcResponse<M extends IpcMethod> = IpcContract[M]['response'];

export const ipcMethods = Object.keys(ipcContract) as IpcMethod[];

/** The channel name of a method: one namespace, so the allow-list is the contract itself. */
export function ipcChannel(method: IpcMethod): string {
  return `voicevault:${method}`;
}

/** What the renderer sees as `window.voicevault`: one async function per method, nothing else. */
export type VoiceVaultApi = {
  [M in IpcMethod]: IpcRequest<M> extends undefined ? () => Promise<Result<IpcResponse<M>>> : (request: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>;
};

/** Main-process implementations, one per method. */
export type IpcHandlers = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResponse<M>>;
};

export function isIpcMethod(value: unknown): value is IpcMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ipcContract, value);
}
