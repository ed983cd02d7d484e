// The main job on the embedded default, end to end: a local AWS (moto, or the endpoint given),
// provisioned from the shared config; ada signs in; the demo clips are decoded, checked, sealed and
// uploaded; the training side decrypts one features object and compares it with features computed
// locally; and every byte that went over the wire or sits in the data directory is searched for
// plaintext. Against real AWS (--aws) only the data directory can be searched: TLS hides the wire.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { VoiceVaultError } from '../../shared/errors';
import { decodeAudioFile } from '../audio';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { s3ClientConfig, emulatorCredentials } from '../aws/target';
import type { CliIo } from '../cli/command';
import { readerAccess } from '../cli/reader-access';
import { signInFromCli } from '../cli/sign-in';
import { startLoopbackProxy, type LoopbackProxy } from '../emulator/loopback-proxy';
import { emulatorTarget } from '../emulator/local-emulator';
import { startMotoServer, type MotoServer } from '../emulator/moto-server';
import { provisionEmulator } from '../emulator/provision';
import { filesUnder, findPlaintextWindows, pcmForms, type NamedBytes } from '../evidence/plaintext-windows';
import { extractFeaturesFromFile } from '../features';
import { readPartitionConfig } from '../partitions/config-store';
import { storedFeatureBytes } from '../pipeline/stored-features';
import { openWorkspace } from '../pipeline/workspace';
import { FileSecretStore } from '../secrets';

export interface DemoOptions {
  /** A running emulator (LocalStack, moto) to provision instead of starting moto. */
  endpoint?: string;
  /** Real AWS: a deployment (state file) and a user to sign in as; only with an explicit --aws. */
  aws?: { deployment: Deployment; username: string };
  files: string[];
  io: CliIo;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface DemoObject {
  key: string;
  bytes: number;
  sha256: string;
  sse: string;
}

export interface DemoSample {
  sample: string | null;
  file: string;
  quality: { pass: boolean; reasons: string[] };
  objects: DemoObject[];
}

export interface DemoReport {
  endpoint: string;
  samples: DemoSample[];
  /** 32-byte plaintext windows found on the wire and in the data directory; null where not searched. */
  plaintext_leaks: number | null;
  plaintext_leaks_where: string[];
  decrypt_check: { key: string; equal: boolean } | null;
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const { log } = options;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let deployment: Deployment;
    let username: string;
    let password: string | undefined;
    let moto: MotoServer | undefined;
    if (options.aws) {
      ({ deployment, username } = options.aws);
    } else {
      let endpoint = options.endpoint;
      if (!endpoint) {
        log('starting the local AWS emulator (moto)…');
        moto = await startMotoServer();
        cleanups.push(() => moto!.stop());
        endpoint = moto.endpoint;
      }
      log(`provisioning ${endpoint} from the shared config…`);
      deployment = await provisionEmulator({ target: emulatorTarget(endpoint) });
      username = 'ada';
      password = deployment.demoUsers.find((u) => u.username === username)?.password;
      if (!password) throw new VoiceVaultError('Internal', 'The emulator has no demo user ada.');
    }

    // All SDK traffic of the contractor and the reader goes through a recording loopback proxy.
    let proxy: LoopbackProxy | undefined;
    let wired = deployment;
    if (deployment.endpoint) {
      proxy = await startLoopbackProxy({ target: deployment.endpoint });
      cleanups.push(() => proxy!.close());
      wired = { ...deployment, endpoint: proxy.url };
    }

    const dataDir = await mkdtemp(join(tmpdir(), 'voicevault-demo-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const secretStore = new FileSecretStore(join(dataDir, 'secrets'));
    const env = password ? { ...options.env, VOICEVAULT_PASSWORD: password } : options.env;
    log(`signing in as ${username}…`);
    const session = await signInFromCli({ deployment: wired, username, io: options.io, env, secretStore });
    const contractorS3 = new S3Client(s3ClientConfig({ ...deploymentTarget(wired), credentials: session.credentials }));
    const { partition } = await readPartitionConfig(contractorS3, wired.bucket, session.claims.partition ?? '').finally(() => contractorS3.destroy());
    const workspace = await openWorkspace({ deployment: wired, session, partition, dataDir, secretStore, appVersion: '0.1.0-demo' });
    cleanups.push(async () => workspace.close());
    log(`partition ${partition.id}: tier ${partition.featureTier}, preset ${partition.preset}, raw ${partition.keepRaw ? 'kept' : 'not kept'}`);
    log(`consent ${partition.consent.version}: "${partition.consent.text}" (accepted for the demo)`);
    await workspace.ledger.acceptConsent(partition.consent.version);

    const samples: DemoSample[] = [];
    for (const file of options.files) {
      const outcome = await workspace.ingest.ingestFile(file);
      if (outcome.status === 'rejected') {
        log(`  ${file}: rejected — ${outcome.reasons.join('; ')}`);
        samples.push({ sample: outcome.sample, file, quality: { pass: false, reasons: outcome.reasons }, objects: [] });
      } else {
        log(`  ${file}: sealed as sample ${outcome.sample}`);
        samples.push({ sample: outcome.sample, file, quality: { pass: true, reasons: [] }, objects: [] });
      }
    }
    log('uploading the outbox…');
    await workspace.uploader.drain();

    // What S3 holds, as an operator sees it (HeadObject): size, checksum and server-side encryption.
    const operatorS3 = new S3Client(s3ClientConfig({ ...deploymentTarget(deployment), ...(options.aws ? {} : { credentials: emulatorCredentials }) }));
    try {
      for (const sample of samples) {
        const receipt = sample.sample ? workspace.ledger.get(sample.sample)?.receipt : undefined;
        for (const object of receipt?.objects ?? []) {
          const head = await operatorS3.send(new HeadObjectCommand({ Bucket: deployment.bucket, Key: object.key, ChecksumMode: 'ENABLED' }));
          sample.objects.push({ ...object, sse: `${head.ServerSideEncryption ?? 'none'} ${head.SSEKMSKeyId ?? ''}`.trim() });
        }
      }
    } finally {
      operatorS3.destroy();
    }

    // The training side: decrypt one features object as the pipeline reader and compare.
    let decryptCheck: DemoReport['decrypt_check'] = null;
    const first = samples.find((s) => s.objects.some((o) => o.key.startsWith('features/')));
    const secrets: NamedBytes[] = [];
    for (const sample of samples) {
      const decoded = await decodeAudioFile(sample.file);
      secrets.push({ name: `${sample.file} (file)`, bytes: await readFile(sample.file) }, ...pcmForms(sample.file, decoded.samples));
      const local = storedFeatureBytes(await extractFeaturesFromFile(sample.file, partition.preset), partition.featureTier);
      secrets.push({ name: `${sample.file} (features)`, bytes: local });
      if (sample === first && !decryptCheck) {
        const key = sample.objects.find((o) => o.key.startsWith('features/'))!.key;
        const reader = readerAccess(wired, options.env);
        try {
          const { plaintext } = await reader.open(await reader.getObject(key), key);
          decryptCheck = { key, equal: Buffer.from(plaintext).equals(Buffer.from(local)) };
          log(`the pipeline reader decrypted ${key}: ${decryptCheck.equal ? 'equal to' : 'DIFFERENT from'} the features computed locally`);
        } finally {
          reader.close();
        }
      }
    }

    const haystacks: NamedBytes[] = [...(await filesUnder(dataDir))];
    const where = ['data directory'];
    if (proxy) {
      haystacks.push(...proxy.requests.map((r, i) => ({ name: `request ${i} ${r.service} ${r.method} ${r.path}`, bytes: r.body })));
      where.push(`${proxy.requests.length} requests on the wire`);
    }
    const leaks = findPlaintextWindows(secrets, haystacks);
    for (const leak of leaks.slice(0, 5)) log(`  PLAINTEXT: ${leak.length} bytes of ${leak.secret} in ${leak.haystack}`);
    return {
      endpoint: deployment.endpoint ?? `AWS ${deployment.region}`,
      samples,
      plaintext_leaks: leaks.length,
      plaintext_leaks_where: where,
      decrypt_check: decryptCheck,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
