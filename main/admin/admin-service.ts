// What an admin can do, composed once per signed-in admin by each shell (the app's handlers, the CLI):
// partitions (create, change, status, role preview), membership, the bucket lifecycle, alarm state,
// consent-withdrawal requests, the access review, revoke and erase. Every change is recorded in the
// admin's own hash-chained audit log, <dataDir>/admin/<sub>/audit.jsonl.
import { join } from 'node:path';
import type {
  AccessReview,
  AdminPartitionDetail,
  AlarmView,
  DirectoryUser,
  EraseReport,
  LifecycleRuleView,
  MembershipChange,
  PartitionSummaryView,
  RevokeReport,
  SavedPartitionView,
  WithdrawalRequestView,
} from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { Partition, Prompt } from '../../shared/partition';
import { AuditLog } from '../audit';
import {
  applyLifecycle,
  createPartitionConfig,
  parsePromptsTsv,
  readAllPartitionConfigs,
  readForAdmin,
  readLifecycleRules,
  savePartitionConfig,
  updatePartitionConfig,
  type StoredPartition,
} from '../partitions';
import { partitionRuleIdPrefix } from '../partitions/lifecycle';
import { appendDeletionRecord, type DeletionReason } from '../training';
import { accessReview, defaultIdleDays } from './access-review';
import { assertAdmin } from './admin-check';
import { describeAlarms } from './alarms';
import { listPendingRequests, scanBucket } from './bucket-scan';
import type { AdminClients } from './clients';
import { findUser, listUsers } from './directory';
import { eraseContractor } from './erase';
import { lifecycleRuleView } from './lifecycle-view';
import { assignPartition, unassignPartition } from './membership';
import { revokeContractor } from './revoke';
import { contractorRolePreview } from './role-preview';

export interface AdminIdentity {
  username: string;
  sub: string;
  groups: string[];
}

export interface AdminServiceOptions {
  clients: AdminClients;
  admin: AdminIdentity;
  /** The admin's audit log lives under <dataDir>/admin/<sub>/. */
  dataDir: string;
  now?: () => number;
  /** Pause between lifecycle verification rounds (tests shorten it). */
  lifecycleSettleMs?: number;
}

export type PartitionDetail = AdminPartitionDetail;
/** A save also brings the bucket lifecycle in line; if that part fails, the save still stands and says so. */
export type SavedPartition = SavedPartitionView;

export type AdminService = ReturnType<typeof createAdminService>;

export function adminAuditPath(dataDir: string, sub: string): string {
  if (!/^[A-Za-z0-9-]{1,128}$/.test(sub)) throw new VoiceVaultError('InvalidArgument', 'Unexpected admin id.');
  return join(dataDir, 'admin', sub, 'audit.jsonl');
}

export function createAdminService(options: AdminServiceOptions) {
  assertAdmin(options.admin);
  const { clients, admin } = options;
  const { s3, userPool, cloudwatch, deployment } = clients;
  const bucket = deployment.bucket;
  const userPoolId = deployment.userPoolId;
  const now = options.now ?? Date.now;
  let audit: Promise<AuditLog> | undefined;

  const auditLog = (): Promise<AuditLog> => {
    audit ??= AuditLog.open(adminAuditPath(options.dataDir, admin.sub), { now });
    return audit;
  };
  const record = async (action: string, detail: Record<string, string | number | boolean | string[]>) => {
    await (await auditLog()).append({ action, detail: { admin: admin.username, ...detail } });
  };

  const allPartitions = async () => (await readAllPartitionConfigs(s3, bucket)).partitions.map((p) => p.partition);

  const bringLifecycleInLine = async (): Promise<SavedPartition['lifecycle']> => {
    try {
      const applied = await applyLifecycle(s3, bucket, { partitions: allPartitions, ...(options.lifecycleSettleMs !== undefined ? { settleMs: options.lifecycleSettleMs } : {}) });
      if (applied.writes > 0) await record('lifecycle-applied', { rules: applied.rules.map((r) => r.ID ?? '') });
      return { applied: true, writes: applied.writes };
    } catch (error) {
      const message = error instanceof VoiceVaultError ? error.message : 'the lifecycle could not be written';
      return { applied: false, problem: `${message} Run voicevault admin lifecycle apply to try again.` };
    }
  };

  const saved = async (stored: StoredPartition, action: string): Promise<SavedPartition> => {
    await record(action, { partition: stored.partition.id, ...(stored.versionId ? { version: stored.versionId } : {}) });
    return { partition: stored.partition, etag: stored.etag ?? '', lifecycle: await bringLifecycleInLine() };
  };

  const resolveContractor = async (who: string): Promise<{ contractor: string; username?: string }> => {
    try {
      const user = await findUser(userPool, userPoolId, who);
      if (user.isAdmin) throw new VoiceVaultError('InvalidArgument', `${who} is an admin, not a contractor.`);
      return { contractor: user.sub, username: user.username };
    } catch (error) {
      // A contractor whose account was deleted can still be erased by their id (the sub in their keys).
      if (error instanceof VoiceVaultError && error.code === 'UserNotFound' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(who)) return { contractor: who };
      throw error;
    }
  };

  return {
    admin,

    async listPartitions(): Promise<PartitionSummaryView[]> {
      const [{ partitions }, users, scan] = await Promise.all([readAllPartitionConfigs(s3, bucket), listUsers(userPool, userPoolId), scanBucket(s3, bucket)]);
      return partitions.map(({ partition }) => {
        const activity = scan.partitions.get(partition.id);
        return {
          id: partition.id,
          name: partition.name,
          keepRaw: partition.keepRaw,
          featureTier: partition.featureTier,
          status: {
            contractors: users.filter((u) => u.partition === partition.id).length,
            contributors: activity?.contributors.size ?? 0,
            samples: activity?.samples ?? 0,
            bytes: activity?.bytes ?? 0,
            ...(activity?.lastUpload ? { lastUpload: activity.lastUpload.toISOString() } : {}),
          },
        };
      });
    },

    async getPartition(id: string): Promise<PartitionDetail> {
      const [stored, rules, users] = await Promise.all([readForAdmin(s3, bucket, id), readLifecycleRules(s3, bucket), listUsers(userPool, userPoolId)]);
      const rule = rules.find((r) => r.ID === `${partitionRuleIdPrefix}${id}`);
      return {
        partition: stored.partition,
        etag: stored.etag ?? '',
        rolePreview: contractorRolePreview(stored.partition),
        ...(rule ? { lifecycleRule: lifecycleRuleView(rule) } : {}),
        members: users.filter((u) => u.partition === id).map((u) => u.username),
      };
    },

    async createPartition(json: unknown): Promise<SavedPartition> {
      return saved(await createPartitionConfig(s3, bucket, json, { by: admin.username }), 'partition-created');
    },

    /** The editor's save: conditional on the version it opened (Conflict when someone else saved since). */
    async savePartition(json: unknown, etag: string): Promise<SavedPartition> {
      const id = (json as { id?: unknown } | null)?.id;
      const previous = typeof id === 'string' ? (await readForAdmin(s3, bucket, id)).partition : undefined;
      return saved(await savePartitionConfig(s3, bucket, json, { by: admin.username, etag, ...(previous ? { previous } : {}) }), 'partition-saved');
    },

    /** The CLI's update: a change re-applied to the newest version until it lands. */
    async updatePartition(id: string, change: (current: Partition) => unknown): Promise<SavedPartition & { changed: boolean }> {
      const stored = await updatePartitionConfig(s3, bucket, id, change, { by: admin.username });
      if (!stored.changed) return { partition: stored.partition, etag: stored.etag ?? '', lifecycle: { applied: true, writes: 0 }, changed: false };
      return { ...(await saved(stored, 'partition-saved')), changed: true };
    },

    parsePrompts(tsv: string): Prompt[] {
      return parsePromptsTsv(tsv);
    },

    listUsers(): Promise<DirectoryUser[]> {
      return listUsers(userPool, userPoolId);
    },

    async assign(username: string, partition: string): Promise<MembershipChange> {
      await readForAdmin(s3, bucket, partition); // NotFound in plain words before anyone is changed
      const change = await assignPartition({ userPool, userPoolId }, username, partition);
      if (change.previous !== partition) await record('assigned', { username, partition, ...(change.previous ? { previous: change.previous } : {}) });
      return change;
    },

    async unassign(username: string): Promise<MembershipChange> {
      const change = await unassignPartition({ userPool, userPoolId }, username);
      if (change.previous) await record('unassigned', { username, previous: change.previous });
      return change;
    },

    async lifecycle(): Promise<LifecycleRuleView[]> {
      return (await readLifecycleRules(s3, bucket)).map(lifecycleRuleView);
    },

    async applyLifecycle(): Promise<{ rules: LifecycleRuleView[]; writes: number }> {
      const applied = await applyLifecycle(s3, bucket, { partitions: allPartitions, ...(options.lifecycleSettleMs !== undefined ? { settleMs: options.lifecycleSettleMs } : {}) });
      if (applied.writes > 0) await record('lifecycle-applied', { rules: applied.rules.map((r) => r.ID ?? '') });
      return { rules: applied.rules.map(lifecycleRuleView), writes: applied.writes };
    },

    alarms(): Promise<AlarmView[]> {
      return describeAlarms(cloudwatch);
    },

    async withdrawalRequests(): Promise<WithdrawalRequestView[]> {
      const [requests, users] = await Promise.all([listPendingRequests(s3, bucket), listUsers(userPool, userPoolId)]);
      const nameOf = new Map(users.map((u) => [u.sub, u.username]));
      return requests.map((r) => {
        const username = nameOf.get(r.contractor);
        return { requestId: r.requestId, partition: r.partition, contractor: r.contractor, ...(username ? { username } : {}), requestedAt: r.requestedAt.toISOString(), key: r.key };
      });
    },

    async accessReview(idleAfterDays = defaultIdleDays): Promise<AccessReview> {
      if (!Number.isInteger(idleAfterDays) || idleAfterDays < 1 || idleAfterDays > 3650) throw new VoiceVaultError('InvalidArgument', `The idle threshold must be a whole number of days from 1 to 3650 (got ${idleAfterDays}).`);
      const [users, scan] = await Promise.all([listUsers(userPool, userPoolId), scanBucket(s3, bucket)]);
      return accessReview(users, scan.lastActivity, new Date(now()), idleAfterDays);
    },

    async revoke(username: string): Promise<RevokeReport> {
      const report = await revokeContractor({ userPool, userPoolId, actingAdmin: admin.username }, username);
      await record('revoked', { username });
      return report;
    },

    /** Erases a contractor (by user name, or by id when the account is gone). The reason defaults to consent-withdrawn when they asked. */
    async erase(who: string, reason?: DeletionReason): Promise<EraseReport> {
      const target = await resolveContractor(who);
      const asked = (await listPendingRequests(s3, bucket)).some((r) => r.contractor === target.contractor);
      return eraseContractor(
        { s3, bucket, appendDeletion: (r) => appendDeletionRecord(s3, bucket, r), audit: await auditLog(), now, admin: admin.username },
        target,
        reason ?? (asked ? 'consent-withdrawn' : 'contractor-erased'),
      );
    },

    async close(): Promise<void> {
      const log = audit;
      audit = undefined;
      if (log) await (await log.catch(() => undefined))?.close();
    },
  };
}
