// One contractor's pipeline on this device, composed once per session by each shell (the app, the
// CLI, the test bridge): their sealer, outbox, uploader, audit log and ledger, all under
// <dataDir>/users/<sub>/. Nothing in that folder is plaintext audio or features.
import { join } from 'node:path';
import { KMS } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { OutboxItemView } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { Partition } from '../../shared/partition';
import { AuditLog } from '../audit';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { clientConfig, s3ClientConfig } from '../aws/target';
import { createSealer, type Sealer } from '../crypto';
import { Outbox, type OutboxEntry } from '../outbox';
import type { SecretStore } from '../secrets';
import type { ActiveSession } from '../session/context';
import { Uploader, type UploadReceipt, type UploaderOptions } from '../upload';
import { lockDirectory } from './directory-lock';
import { SampleIngest } from './ingest';
import { resealDeviceObjects } from './reseal';
import { SampleLedger } from './sample-ledger';

export interface WorkspaceOptions {
  deployment: Deployment;
  session: ActiveSession;
  partition: Partition;
  dataDir: string;
  secretStore: SecretStore;
  appVersion: string;
  now?: () => number;
  /** Upload tuning (multipart threshold, watchdog, retries) for tests and benchmarks. */
  upload?: Partial<UploaderOptions>;
}

export interface Workspace {
  ingest: SampleIngest;
  outbox: Outbox;
  uploader: Uploader;
  audit: AuditLog;
  ledger: SampleLedger;
  sealer: Sealer;
  /** What the window shows: every sample of this device, newest first. */
  outboxView(): Promise<OutboxItemView[]>;
  close(): void;
}

export function userDirectory(dataDir: string, contractor: string): string {
  if (!/^[A-Za-z0-9-]{1,128}$/.test(contractor)) throw new VoiceVaultError('InvalidArgument', 'Unexpected contractor id.');
  return join(dataDir, 'users', contractor);
}

/** Refuses (Conflict) while another process works in the same contractor folder; close() lets it go. */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const dir = userDirectory(options.dataDir, options.session.claims.sub);
  const unlock = await lockDirectory(dir);
  try {
    return await openLocked(options, dir, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openLocked(options: WorkspaceOptions, dir: string, unlock: () => void): Promise<Workspace> {
  const { deployment, session, partition, secretStore } = options;
  const now = options.now ?? Date.now;
  const contractor = session.claims.sub;
  const target = { ...deploymentTarget(deployment), credentials: session.credentials };
  // A KMS that accepts connections but never answers must not hang sealing: time out and seal on the device.
  const kms = new KMS({ ...clientConfig(target), requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } });
  // The uploader retries with its own backoff and watchdog; the SDK's own retries would hide failures from it.
  const s3 = new S3Client({ ...s3ClientConfig(target), maxAttempts: 1 });
  const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: secretStore });
  const outbox = await Outbox.open(join(dir, 'outbox'));
  const audit = await AuditLog.open(join(dir, 'audit.jsonl'), { now });
  const ledger = await SampleLedger.open(join(dir, 'ledger.json'), now);
  const ingest = new SampleIngest({ partition, contractor, appVersion: options.appVersion, sealer, outbox, audit, ledger, secretStore, now });

  const uploader = new Uploader({
    outbox,
    s3: () => s3,
    bucket: deployment.bucket,
    storageKeyArn: deployment.storageKeyArn,
    now,
    // A take sealed offline under the device key is re-sealed under KMS before it may leave.
    prepare: (entry) => resealDeviceObjects(entry, outbox, sealer, audit),
    onUploaded: async (entry: OutboxEntry, receipt: UploadReceipt) => {
      const objects = receipt.objects.map(({ key, bytes, sha256 }) => ({ key, bytes, sha256 }));
      await ledger.update(entry.sample, { state: 'uploaded', receipt: { sample: receipt.sample, uploadedAt: receipt.uploadedAt, objects } });
      await audit.append({ action: 'uploaded', sample: entry.sample, objects: objects.map(({ key, sha256 }) => ({ key, sha256 })) });
    },
    onCredentialsExpired: () => session.invalidateCredentials(),
    ...options.upload,
  });

  return {
    ingest,
    outbox,
    uploader,
    audit,
    ledger,
    sealer,
    outboxView: () => outboxView(ledger, outbox, uploader),
    close: () => {
      uploader.stop();
      void audit.close();
      kms.destroy();
      s3.destroy();
      unlock();
    },
  };
}

/** The window's view: entries still in the outbox (with live progress) and uploaded samples with receipts. */
async function outboxView(ledger: SampleLedger, outbox: Outbox, uploader: Uploader): Promise<OutboxItemView[]> {
  const items: OutboxItemView[] = [];
  const waiting = new Set<string>();
  for (const entry of await outbox.list()) {
    waiting.add(entry.sample);
    const progress = uploader.progress(entry.sample);
    items.push({
      sample: entry.sample,
      ...(entry.promptId ? { promptId: entry.promptId } : {}),
      source: entry.source,
      state: uploader.isUploading(entry.sample) ? 'uploading' : entry.state,
      progress: progress && progress.totalBytes > 0 ? Math.floor((100 * progress.sentBytes) / progress.totalBytes) : 0,
      ...(entry.lastError ? { problem: entry.lastError.message } : {}),
    });
  }
  for (const entry of ledger.entries()) {
    if (entry.state !== 'uploaded' || waiting.has(entry.sample)) continue;
    items.push({
      sample: entry.sample,
      ...(entry.promptId ? { promptId: entry.promptId } : {}),
      source: entry.source,
      state: 'uploaded',
      progress: 100,
      ...(entry.receipt ? { receipt: entry.receipt } : {}),
    });
  }
  // ULIDs sort by time: newest first.
  return items.sort((a, b) => (a.sample < b.sample ? 1 : -1));
}
