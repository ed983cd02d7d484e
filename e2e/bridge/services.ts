// The test bridge's composition (the app has main/electron/compose.ts, the CLI its own): the same
// SessionContext and contract handlers, with secrets in memory and local state in a temporary
// folder of the test's choosing.
import type { IpcHandlers } from '../../shared/ipc-contract';
import type { Deployment } from '../../main/aws/deployment';
import { MemorySecretStore } from '../../main/secrets';
import { createSessionHandlers, type SessionHandlerOptions } from '../../main/session';
import { SessionContext } from '../../main/session/context';

export interface BridgeServices {
  context: SessionContext;
  handlers: IpcHandlers;
  close(): Promise<void>;
}

export async function createBridgeServices(deployment: Deployment, dataDir: string, options: SessionHandlerOptions = {}): Promise<BridgeServices> {
  const context = new SessionContext({ deployment, appVersion: '0.1.0-e2e', secretStore: new MemorySecretStore(), dataDir });
  const handlers = createSessionHandlers(context, options);
  return {
    context,
    handlers,
    // Ends the session like sign-out does: takes in memory are wiped, uploads stop.
    close: () => context.end(false).catch(() => undefined),
  };
}
