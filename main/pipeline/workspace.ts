// One contractor's pipeline on this device, composed once per session by each shell (the app, the
// CLI, the test bridge): their sealer, outbox, uploader, audit log and ledger, all under
// <dataDir>/users/<sub>/. Nothing in that folder is plaintext audio or features.
import { join } from 'node:path';
import { KMS } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { OutboxItemView, Receipt } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { Partition } from '../../shared/partition';
import { AuditLog } from '../audit';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { clientConfig, s3ClientConfig } from '../aws/target';
import { createSealer, reseal, type Sealer } from '../crypto';
import { Outbox, type OutboxEntry } from '../outbox';
import type { SecretStore } from '../secrets';
import type { ActiveSession } from '../session/context';
import { Uploader, type UploaderOptions } from '../upload';
import { SampleIngest } from './ingest';
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

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const { deployment, session, partition, secretStore } = options;
  const now = options.now ?? Date.now;
  const contractor = session.claims.sub;
  const dir = userDirectory(options.dataDir, contractor);
  const target = { ...deploymentTarget(deployment), credentials: session.credentials };
  const kms = new KMS(clientConfig(target));
  const s3 = new S3Client(s3ClientConfig(target));
  const sealer = createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn, deviceKeys: secretStore, contractor });
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
    onUploaded: async (entry: OutboxEntry, receipt: Receipt) => {
      await ledger.update(entry.sample, { state: 'uploaded', receipt });
      await audit.append({ action: 'uploaded', sample: entry.sample, objects: receipt.objects.map(({ key, sha256 }) => ({ key, sha256 })) });
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
      kms.destroy();
      s3.destroy();
    },
  };
}
