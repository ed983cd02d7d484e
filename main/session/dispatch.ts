// Validates a request against the contract and runs its handler, always answering with a Result.
// The Electron wiring and the Playwright loopback bridge both call this, so they behave alike.
import { toErrorResult } from '../../shared/errors';
import { ipcContract, isIpcMethod, type IpcHandlers, type Result } from '../../shared/ipc-contract';

export async function dispatchIpc(handlers: IpcHandlers, method: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isIpcMethod(method)) return { type: 'error', code: 'InvalidArgument', message: 'Unknown request.' };
  const parsed = ipcContract[method].request.safeParse(payload);
  if (!parsed.success) return { type: 'error', code: 'InvalidArgument', message: `Invalid request for ${method}.` };
  try {
    const handler = handlers[method] as (request: unknown) => Promise<unknown>;
    return { type: 'success', value: await handler(parsed.data) };
  } catch (error) {
    return toErrorResult(error);
  }
}
