// The renderer's only way out: the contract functions the preload (or the test bridge) exposes.
import type { IpcMethod, IpcRequest, IpcResponse, Result, VoiceVaultApi } from '../../shared/ipc-contract';

export function voiceVaultApi(): VoiceVaultApi {
  const api = (window as unknown as { voicevault?: VoiceVaultApi }).voicevault;
  if (!api) throw new Error('VoiceVault must run inside the app: the bridge to the main process is missing.');
  return api;
}

/** A failed call, carrying the main process's plain-words message (never a stack trace). */
export class CallFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const unreachable = 'VoiceVault could not reach its main process. Restart VoiceVault.';

/** Calls one contract method and returns its value, or throws CallFailed with a sentence. */
export async function call<M extends IpcMethod>(method: M, ...request: undefined extends IpcRequest<M> ? [IpcRequest<M>?] : [IpcRequest<M>]): Promise<IpcResponse<M>> {
  let result: Result<IpcResponse<M>>;
  try {
    const fn = voiceVaultApi()[method] as (request?: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>;
    result = await fn(request[0]);
  } catch {
    throw new CallFailed('Internal', unreachable);
  }
  if (result.type === 'success') return result.value;
  throw new CallFailed(result.code, result.message);
}

/** The sentence to show for anything a call threw. */
export function problemText(error: unknown): string {
  return error instanceof CallFailed ? error.message : unreachable;
}
