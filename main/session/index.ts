// The contract handlers, composed from groups that share one SessionContext: sign-in (this folder's
// sign-in-handlers.ts), the partition, and the recording window (take-handlers.ts). The Electron
// wiring, the CLI's test bridge and the tests build the context and call this.
import type { IpcHandlers } from '../../shared/ipc-contract';
import type { Partition } from '../../shared/partition';
import { deploymentTarget } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { readPartitionConfig } from '../partitions/config-store';
import { S3Client } from '@aws-sdk/client-s3';
import type { SessionContext } from './context';
import { createAdminHandlers } from './admin-handlers';
import { createSignInHandlers, type SignInHandlerOptions } from './sign-in-handlers';
import { consentAcceptedOnDevice, createTakeHandlers } from './take-handlers';

export { SessionContext, type ActiveSession, type SessionClaims } from './context';
export { dispatchIpc } from './dispatch';
export { createSignInHandlers, type SignInHandlerOptions, type SignInMethod } from './sign-in-handlers';

export type SessionHandlerOptions = SignInHandlerOptions;

export function createSessionHandlers(context: SessionContext, options: SessionHandlerOptions = {}): IpcHandlers {
  return {
    ...createSignInHandlers(context, { consentAccepted: (session) => consentAcceptedOnDevice(context, session), ...options }),
    ...createPartitionHandlers(context),
    ...createTakeHandlers(context),
    ...createAdminHandlers(context),
  };
}

/** The signed-in contractor's partition, read with their own scoped credentials. */
export function createPartitionHandlers(context: SessionContext): Pick<IpcHandlers, 'getPartition'> {
  return {
    getPartition: async (): Promise<Partition> => {
      const { claims, credentials } = context.requireSession();
      const s3 = new S3Client({ ...s3ClientConfig(deploymentTarget(context.deployment)), credentials });
      try {
        return (await readPartitionConfig(s3, context.deployment.bucket, claims.partition ?? '')).partition;
      } finally {
        s3.destroy();
      }
    },
  };
}
