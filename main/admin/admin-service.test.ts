// The admin services against a real moto server, signed in as the demo admin through the user pool and
// the identity pool like the app does: partitions with their lifecycle, membership that a fresh sign-in
// picks up, status from keys and sizes, withdrawal requests, the access review, revoke and erase.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricAlarmCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { KMS } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoiceVaultError } from '../../shared/errors';
import { demoPartition, type Partition } from '../../shared/partition';
import { verifyAuditChain } from '../audit';
import { deploymentTarget } from '../aws/deployment';
import { clientConfig, s3ClientConfig } from '../aws/target';
import { createOpener, createSealer } from '../crypto';
import { useTestEmulator } from '../emulator/test-emulator';
import { UserPoolSession, UserPoolSignIn, createIdentityServices } from '../identity';
import { submitWithdrawalRequest } from '../partitions';
import { MemorySecretStore } from '../secrets';
import { createAdminClients, createAdminService, listContractorVersions, type AdminClients, type AdminService } from './index';

const emulator = useTestEmulator();
let dataDir: string;
let clients: AdminClients;
let service: AdminService;
let inspector: S3Client;
/** The sample the status test puts under grace's p2 prefix; erase must list it too. */
let statusSample: string;

function passwordOf(username: string): string {
  return emulator().deployment.demoUsers.find((u) => u.username === username)!.password;
}

async function signIn(username: string, now: () => number = Date.now): Promise<UserPoolSession> {
  const services = createIdentityServices({ deployment: emulator().deployment, secretStore: new MemorySecretStore(), now });
  const progress = await new UserPoolSignIn(services).start(username, passwordOf(username));
  if (progress.step !== 'tokens') throw new Error(`unexpected sign-in step ${progress.step}`);
  return UserPoolSession.start(services, progress.tokens);
}

async function failure(promise: Promise<unknown>): Promise<VoiceVaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VoiceVaultError) return error;
    throw error;
  }
  throw new Error('it succeeded');
}

const p2: Partition = {
  ...demoPartition,
  id: 'p2',
  name: 'Partition two',
  keepRaw: true,
  rawGlacierDays: 14,
  rawExpireDays: 120,
  featureTier: 'mfcc',
  prompts: [
    { id: 'n1', text: 'One, two, three.' },
    { id: 'n2', text: 'Four, five, six.' },
  ],
  consent: { version: 'p2-2026', text: 'I agree to partition two.' },
};

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await inspector.send(new ListObjectsV2Command({ Bucket: emulator().deployment.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vv-admin-'));
  const session = await signIn('admin');
  clients = createAdminClients(emulator().deployment, session.credentials);
  service = createAdminService({ clients, admin: { username: session.claims.username, sub: session.claims.sub, groups: session.claims.groups }, dataDir, lifecycleSettleMs: 20 });
  inspector = new S3Client(s3ClientConfig(emulator().adminTarget));
});
afterAll(async () => {
  await service?.close();
  clients?.destroy();
  inspector?.destroy();
});

describe('admin services', () => {
  it('refuse anyone outside the admins group', async () => {
    const ada = await signIn('ada');
    expect(ada.claims.groups).toEqual([]);
    expect(() => createAdminService({ clients, admin: { username: 'ada', sub: ada.claims.sub, groups: ada.claims.groups }, dataDir })).toThrow(
      'Only admins may do this, and ada is not in the admins group.',
    );
  });

  it('create a partition, bring the lifecycle in line for it and every other partition, and preview the contractor role', async () => {
    const saved = await service.createPartition(p2);
    expect(saved.lifecycle).toEqual({ applied: true, writes: 1 });
    const rules = await service.lifecycle();
    expect(rules.map((r) => [r.id, r.owner, r.summary])).toEqual([
      ['voicevault-abort-incomplete-multipart', 'global', 'Every object: unfinished multipart uploads abandoned after 1 day.'],
      ['voicevault-expire-noncurrent-versions', 'global', 'Every object: replaced and deleted versions removed after 7 days; leftover delete markers removed.'],
      ['voicevault-raw-demo', 'partition', 'Objects under raw/demo/: to Glacier after 30 days; deleted after 365 days.'],
      ['voicevault-raw-p2', 'partition', 'Objects under raw/p2/: to Glacier after 14 days; deleted after 120 days.'],
    ]);
    const detail = await service.getPartition('p2');
    expect(detail.partition).toEqual(p2);
    expect(detail.lifecycleRule?.summary).toBe('Objects under raw/p2/: to Glacier after 14 days; deleted after 120 days.');
    expect(detail.rolePreview.allowed).toContain('Upload raw audio, sealed, under raw/p2/<their id>/: it moves to Glacier after 14 days and is deleted after 120.');
    expect(detail.rolePreview.allowed.join('\n')).toMatch(/features \(MFCCs \(frame by frame; invertible to intelligible speech without pitch, STOI 0\.\d\d by Griffin-Lim\), preset speech16k\) under features\/p2\/<their id>\//);
    expect(detail.rolePreview.denied.join('\n')).toMatch(/Decrypt anything/);
  });

  it('assign grace to p2; a fresh sign-in carries the new partition', async () => {
    const before = await signIn('grace');
    expect(before.claims.partition).toBe('demo');
    const change = await service.assign('grace', 'p2');
    expect(change).toEqual({ username: 'grace', partition: 'p2', previous: 'demo', signedOutEverywhere: true });
    const after = await signIn('grace');
    expect(after.claims.partition).toBe('p2');
    // The move signed her old session out everywhere: its refresh token no longer works.
    expect((await failure(before.idToken({ forceRefresh: true }))).code).toBe('SessionExpired');
    expect((await service.getPartition('p2')).members).toEqual(['grace']);
  });

  it('refuse assignments to partitions that do not exist, unknown users and admins, changing nothing', async () => {
    expect((await failure(service.assign('ada', 'nope'))).message).toBe('There is no partition nope.');
    expect((await failure(service.assign('nobody', 'p2'))).message).toBe('There is no user named nobody.');
    expect((await failure(service.assign('admin', 'p2'))).message).toBe('admin is an admin; admins do not record, so they belong to no partition.');
    expect((await failure(service.assign('has space', 'p2'))).message).toBe('"has space" is not a user name (1 to 128 characters, no spaces).');
    const users = await service.listUsers();
    expect(users.map((u) => [u.username, u.partition ?? '', u.isAdmin])).toEqual([
      ['ada', 'demo', false],
      ['admin', '', true],
      ['grace', 'p2', false],
    ]);
  });

  it('count contractors, samples, bytes and the last upload per partition from keys and sizes', async () => {
    const grace = (await service.listUsers()).find((u) => u.username === 'grace')!;
    const bucket = emulator().deployment.bucket;
    const sample = (statusSample = ulid());
    await inspector.send(new PutObjectCommand({ Bucket: bucket, Key: `manifests/p2/${grace.sub}/${sample}.sealed`, Body: new Uint8Array(100) }));
    await inspector.send(new PutObjectCommand({ Bucket: bucket, Key: `features/p2/${grace.sub}/${sample}.speech16k.sealed`, Body: new Uint8Array(1000) }));
    const summaries = await service.listPartitions();
    expect(summaries.map((s) => [s.id, s.status.contractors, s.status.contributors, s.status.samples, s.status.bytes])).toEqual([
      ['demo', 1, 0, 0, 0],
      ['p2', 1, 1, 1, 1100],
    ]);
    expect(Date.parse(summaries[1]!.status.lastUpload!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("list a contractor's sealed withdrawal request from its key alone", async () => {
    const grace = await signIn('grace');
    const target = { ...deploymentTarget(emulator().deployment), credentials: grace.credentials };
    const kms = new KMS(clientConfig(target));
    const s3 = new S3Client(s3ClientConfig(target));
    const { deployment } = emulator();
    const receipt = await submitWithdrawalRequest({
      sealer: createSealer({ kms, envelopeKeyArn: deployment.envelopeKeyArn }),
      s3,
      bucket: deployment.bucket,
      storageKeyArn: deployment.storageKeyArn,
      partition: 'p2',
      contractor: grace.claims.sub,
      now: Date.now,
    });
    const requests = await service.withdrawalRequests();
    expect(requests).toEqual([{ requestId: receipt.requestId, partition: 'p2', contractor: grace.claims.sub, username: 'grace', requestedAt: expect.any(String), key: `requests/p2/${grace.claims.sub}/${receipt.requestId}.sealed` }]);
    // Only the training side's decrypt opens it; what it holds is the request, bound to its key.
    const object = await inspector.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: requests[0]!.key }));
    const opened = await createOpener({ kms: new KMS(clientConfig(emulator().adminTarget)), envelopeKeyArn: deployment.envelopeKeyArn }).open(await object.Body!.transformToByteArray(), requests[0]!.key);
    expect(JSON.parse(new TextDecoder().decode(opened.plaintext))).toMatchObject({ format: 'voicevault-withdrawal/1', request: receipt.requestId, partition: 'p2', contractor: grace.claims.sub });
    kms.destroy();
    s3.destroy();
  });

  it('show the alarms whose names start with voicevault- and their state', async () => {
    const cloudwatch = new CloudWatchClient(clientConfig(emulator().adminTarget));
    const alarm = { ComparisonOperator: 'GreaterThanThreshold' as const, EvaluationPeriods: 1, MetricName: 'GetObjectCount', Namespace: 'VoiceVault/Audit', Period: 300, Statistic: 'Sum' as const, Threshold: 10 };
    await cloudwatch.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: 'voicevault-bulk-getobject' }));
    await cloudwatch.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: 'someone-elses-alarm' }));
    cloudwatch.destroy();
    const alarms = await service.alarms();
    expect(alarms.map((a) => [a.name, a.state])).toEqual([['voicevault-bulk-getobject', 'OK']]);
  });
});

describe('access review', () => {
  it('lists every user with partition, status and last activity, flags the idle, and exports the same as CSV', async () => {
    const later = createAdminService({ clients, admin: service.admin, dataDir, now: () => Date.now() + 31 * 86_400_000 });
    const review = await later.accessReview();
    await later.close();
    expect(review.idleAfterDays).toBe(30);
    expect(review.rows.map((r) => [r.username, r.role, r.partition, r.status, r.lastActivitySource, r.idle])).toEqual([
      ['ada', 'contractor', 'demo', 'active', 'account-created', true],
      ['grace', 'contractor', 'p2', 'active', 'upload', true],
      ['admin', 'admin', '', 'active', 'account-created', true],
    ]);
    expect(review.rows.every((r) => r.idleDays === 31)).toBe(true);
    const csv = parse(review.csv, { columns: true }) as Record<string, string>[];
    expect(csv).toEqual(review.rows.map((r) => ({ username: r.username, role: r.role, partition: r.partition, status: r.status, last_activity: r.lastActivity, last_activity_source: r.lastActivitySource, idle_days: '31', idle: 'yes' })));

    const today = await service.accessReview(30);
    expect(today.rows.map((r) => r.idle)).toEqual([false, false, false]);
    expect((await failure(service.accessReview(0))).message).toBe('The idle threshold must be a whole number of days from 1 to 3650 (got 0).');
  });
});

describe('revoke and erase', () => {
  it('revoke: the next sign-in says the account is disabled, and a running session cannot refresh its credentials', async () => {
    let clock = Date.now();
    const running = await signIn('grace', () => clock);
    await running.credentials();
    expect(await service.revoke('grace')).toEqual({ username: 'grace', disabled: true, signedOutEverywhere: true });

    const again = await failure(signIn('grace'));
    expect(again.code).toBe('UserDisabled');
    expect(again.message).toBe('Could not sign in as grace: your account is disabled. Please ask your admin.');
    // An hour on, the ID token must be renewed before new credentials can be fetched: the revoked refresh token refuses.
    clock += 61 * 60_000;
    running.invalidateCredentials();
    const refresh = await failure(running.credentials());
    expect(refresh.code).toBe('SessionExpired');
    expect(refresh.message).toBe('Could not renew your session: your session has ended. Please sign in again.');
    expect((await service.accessReview()).rows.find((r) => r.username === 'grace')?.status).toBe('disabled');
    expect((await failure(service.revoke('admin'))).message).toBe('You cannot revoke your own account.');
  });

  it('erase: every version of every object under her prefixes goes, the feed lists each sample, the audit log records it', async () => {
    const { bucket } = emulator().deployment;
    const users = await service.listUsers();
    const grace = users.find((u) => u.username === 'grace')!.sub;
    const ada = users.find((u) => u.username === 'ada')!.sub;
    const [s1, s2, s3] = [ulid(), ulid(), ulid()];
    const put = (key: string, bytes = 10) => inspector.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(bytes) }));
    await put(`raw/p2/${grace}/${s1}.sealed`, 5);
    await put(`raw/p2/${grace}/${s1}.sealed`, 7); // a second version
    await put(`features/p2/${grace}/${s1}.speech16k.sealed`);
    await put(`manifests/p2/${grace}/${s1}.sealed`);
    await put(`manifests/demo/${grace}/${s3}.sealed`); // from before she moved
    await put(`manifests/p2/${ada}/${s2}.sealed`); // someone else's: must stay
    expect((await service.withdrawalRequests()).map((r) => r.username)).toEqual(['grace']);

    const report = await service.erase('grace');
    expect(report.reason).toBe('consent-withdrawn');
    expect(report.partitions).toEqual([
      { partition: 'demo', samples: [s3] },
      { partition: 'p2', samples: [s1, statusSample].sort() },
    ]);
    expect(report.objects.find((o) => o.key === `raw/p2/${grace}/${s1}.sealed`)).toEqual({ key: `raw/p2/${grace}/${s1}.sealed`, versions: 2, bytes: 12 });
    expect(report.objects.some((o) => o.key.startsWith(`requests/p2/${grace}/`))).toBe(true);

    expect(await listContractorVersions(inspector, bucket, grace)).toEqual([]);
    expect(await keysUnder(`manifests/p2/${ada}/`)).toEqual([`manifests/p2/${ada}/${s2}.sealed`]);
    expect(await service.withdrawalRequests()).toEqual([]);

    const feedKeys = await keysUnder('deletions/');
    expect(feedKeys.sort()).toEqual([...report.deletionRecords].sort());
    const feed = await Promise.all(feedKeys.map(async (key) => JSON.parse(await (await inspector.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()) as { partition: string; samples: string[]; reason: string }));
    const listed = Object.fromEntries(feed.map((r) => [r.partition, r.samples.sort()]));
    expect(listed).toEqual(Object.fromEntries(report.partitions.map((p) => [p.partition, p.samples])));
    expect(feed.every((r) => r.reason === 'consent-withdrawn')).toBe(true);
    expect(JSON.stringify(feed)).not.toContain(grace);

    const auditPath = join(dataDir, 'admin', service.admin.sub, 'audit.jsonl');
    const chain = await verifyAuditChain(auditPath);
    expect(chain.ok).toBe(true);
    expect(chain.records.map((r) => r.action)).toEqual(['partition-created', 'lifecycle-applied', 'assigned', 'revoked', 'erased']);
    const erased = chain.records.at(-1)!;
    expect(erased.detail).toMatchObject({ admin: 'admin', contractor: grace, username: 'grace', reason: 'consent-withdrawn', objectVersions: report.objectVersions, deletionRecords: report.deletionRecords });
    expect(await readFile(auditPath, 'utf8')).toContain(`raw/p2/${grace}/${s1}.sealed`);
  });
});
