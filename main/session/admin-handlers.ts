// The admin group of contract handlers, and the contractor's consent-withdrawal request that admins act
// on. Every admin method asks the context for an admin first (requireAdmin: the session's admins group),
// so a contractor's window gets AccessDenied from main whatever the renderer shows; the admin services
// check the group again, and in AWS the admin role is what IAM grants. One AdminService per session.
import { KMS } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { VoiceVaultError } from '../../shared/errors';
import type { IpcHandlers } from '../../shared/ipc-contract';
import { createAdminClients, createAdminService, type AdminClients, type AdminService } from '../admin';
import { deploymentTarget } from '../aws/deployment';
import { clientConfig, s3ClientConfig } from '../aws/target';
import { createSealer } from '../crypto';
import { submitWithdrawalRequest } from '../partitions';
import type { ActiveSession, SessionContext } from './context';

export type AdminMethod =
  | 'adminListPartitions'
  | 'adminGetPartition'
  | 'adminCreatePartition'
  | 'adminSavePartition'
  | 'adminParsePrompts'
  | 'adminListUsers'
  | 'adminAssignPartition'
  | 'adminUnassignPartition'
  | 'adminGetLifecycle'
  | 'adminApplyLifecycle'
  | 'adminGetAlarms'
  | 'adminListWithdrawalRequests'
  | 'adminAccessReview'
  | 'adminRevokeContractor'
  | 'adminEraseContractor';

export function createAdminHandlers(context: SessionContext): Pick<IpcHandlers, AdminMethod | 'requestWithdrawal'> {
  let open: { session: ActiveSession; clients: AdminClients; service: AdminService } | undefined;

  const closeOpen = async () => {
    const closing = open;
    open = undefined;
    if (!closing) return;
    await closing.service.close();
    closing.clients.destroy();
  };
  context.onSignOut(closeOpen);

  const admin = async (): Promise<AdminService> => {
    const session = context.requireAdmin();
    if (open?.session !== session) {
      await closeOpen();
      const clients = createAdminClients(context.deployment, session.credentials);
      const { username, sub, groups } = session.claims;
      open = { session, clients, service: createAdminService({ clients, admin: { username, sub, groups }, dataDir: context.dataDir, now: context.now }) };
    }
    return open.service;
  };

  return {
    requestWithdrawal: async () => {
      const session = context.requireSession();
      const { partition, sub } = session.claims;
      if (!partition) throw new VoiceVaultError('InvalidArgument', 'You belong to no partition, so there is nothing to withdraw.');
      const { deployment } = context;
      const target = { ...deploymentTarget(deployment), credentials: session.credentials };
      const kms = new KMS({ ...clientConfig(target), requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } });
      const s3 = new S3Client(s3ClientConfig(target));
      try {
        return await submitWithdrawalRequest({
          sealer: createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn }),
          s3,
          bucket: deployment.bucket,
          storageKeyArn: deployment.storageKeyArn,
          partition,
          contractor: sub,
          now: context.now,
        });
      } finally {
        kms.destroy();
        s3.destroy();
      }
    },

    adminListPartitions: async () => (await admin()).listPartitions(),
    adminGetPartition: async ({ id }) => (await admin()).getPartition(id),
    adminCreatePartition: async ({ partition }) => (await admin()).createPartition(partition),
    adminSavePartition: async ({ partition, etag }) => (await admin()).savePartition(partition, etag),
    adminParsePrompts: async ({ tsv }) => (await admin()).parsePrompts(tsv),
    adminListUsers: async () => (await admin()).listUsers(),
    adminAssignPartition: async ({ username, partition }) => (await admin()).assign(username, partition),
    adminUnassignPartition: async ({ username }) => (await admin()).unassign(username),
    adminGetLifecycle: async () => (await admin()).lifecycle(),
    adminApplyLifecycle: async () => (await admin()).applyLifecycle(),
    adminGetAlarms: async () => (await admin()).alarms(),
    adminListWithdrawalRequests: async () => (await admin()).withdrawalRequests(),
    adminAccessReview: async (request) => (await admin()).accessReview(request?.idleDays),
    adminRevokeContractor: async ({ username }) => (await admin()).revoke(username),
    adminEraseContractor: async ({ contractor, confirm }) => {
      const service = await admin();
      if (confirm !== contractor) throw new VoiceVaultError('InvalidArgument', `Erasing cannot be undone: type ${contractor} again to confirm.`);
      return service.erase(contractor);
    },
  };
}
