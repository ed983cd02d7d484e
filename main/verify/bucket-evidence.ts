// Bucket evidence, as the seeds check by hand: run the demo on a fresh emulator, then look at every
// object version in the bucket as an operator would. Each must be SSE-KMS under the storage key
// (HeadObject); each sealed object's header must name the envelope key as its only data key and carry
// the encryption context that its key path spells. Also measured here: samples that passed the quality
// gate but are not all in the bucket (lost), keys with more than one version (duplicates), and the
// demo's own search for plaintext on the wire and in its data directory.
import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import type { Deployment } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { demoClips } from '../cli/demo-command';
import { contextFromObjectKey, readSealedHeader, type SealedHeader } from '../crypto';
import { runDemo, type DemoReport } from '../demo/run-demo';
import { startProvisionedEmulator } from '../emulator/local-emulator';

export interface ObjectVersion {
  key: string;
  versionId: string | undefined;
}

export interface ObjectFacts {
  key: string;
  serverSideEncryption: string | undefined;
  sseKmsKeyId: string | undefined;
  /** The sealed header when the key names a sealed object; an Error when it could not be read. */
  header?: SealedHeader | Error;
}

/** What is wrong with one object (empty when nothing is). Pure, so the rules are tested on fixtures. */
export function objectProblems(facts: ObjectFacts, keys: Pick<Deployment, 'storageKeyArn' | 'envelopeKeyArn'>): string[] {
  const problems: string[] = [];
  if (facts.serverSideEncryption !== 'aws:kms') problems.push(`server-side encryption is ${facts.serverSideEncryption ?? 'none'}, not aws:kms`);
  else if (facts.sseKmsKeyId !== keys.storageKeyArn) problems.push(`SSE-KMS key is ${facts.sseKmsKeyId ?? 'unnamed'}, not the storage key`);
  if (!facts.key.endsWith('.sealed')) return problems;
  let expected: Record<string, string | undefined>;
  try {
    expected = { ...contextFromObjectKey(facts.key) };
  } catch {
    return [...problems, 'a .sealed object outside the sealed layout'];
  }
  const header = facts.header;
  if (!header || header instanceof Error) return [...problems, `its header cannot be read${header ? `: ${header.message}` : ''}`];
  const kmsKeys = header.encryptedDataKeys.filter((k) => k.providerId === 'aws-kms').map((k) => k.providerInfo);
  if (header.encryptedDataKeys.length !== 1 || kmsKeys[0] !== keys.envelopeKeyArn) {
    problems.push(`data keys are [${header.encryptedDataKeys.map((k) => `${k.providerId} ${k.providerInfo}`).join(', ')}], not the envelope key alone`);
  }
  for (const [name, value] of Object.entries(expected)) {
    if (value !== undefined && header.encryptionContext[name] !== value) {
      problems.push(`encryption context ${name} is ${JSON.stringify(header.encryptionContext[name])}, the key path says ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

export async function listVersions(s3: S3Client, bucket: string): Promise<ObjectVersion[]> {
  const out: ObjectVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    for (const v of page.Versions ?? []) out.push({ key: v.Key!, versionId: v.VersionId });
    if (!page.IsTruncated) return out;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** Only the first 64 KiB of a sealed object are fetched: the header is at the start. */
async function headerOf(s3: S3Client, bucket: string, version: ObjectVersion): Promise<SealedHeader | Error> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: version.key, VersionId: version.versionId, Range: 'bytes=0-65535' }));
    return readSealedHeader(await got.Body!.transformToByteArray());
  } catch (error) {
    return error as Error;
  }
}

export interface BucketInspection {
  objects: number;
  sealed: number;
  wrongKey: { key: string; problems: string[] }[];
  /** Keys holding more than one version. */
  duplicates: { key: string; versions: number }[];
}

export async function inspectBucket(s3: S3Client, deployment: Pick<Deployment, 'bucket' | 'storageKeyArn' | 'envelopeKeyArn'>): Promise<BucketInspection> {
  const versions = await listVersions(s3, deployment.bucket);
  const counts = new Map<string, number>();
  const wrongKey: BucketInspection['wrongKey'] = [];
  let sealed = 0;
  for (const version of versions) {
    counts.set(version.key, (counts.get(version.key) ?? 0) + 1);
    const head = await s3.send(new HeadObjectCommand({ Bucket: deployment.bucket, Key: version.key, VersionId: version.versionId }));
    const facts: ObjectFacts = { key: version.key, serverSideEncryption: head.ServerSideEncryption, sseKmsKeyId: head.SSEKMSKeyId };
    if (version.key.endsWith('.sealed')) {
      sealed += 1;
      facts.header = await headerOf(s3, deployment.bucket, version);
    }
    const problems = objectProblems(facts, deployment);
    if (problems.length > 0) wrongKey.push({ key: version.key, problems });
  }
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([key, n]) => ({ key, versions: n }));
  return { objects: versions.length, sealed, wrongKey, duplicates };
}

/** Samples that passed the quality gate whose receipt objects are not all in the bucket. */
export function lostSamples(report: Pick<DemoReport, 'samples'>, keysInBucket: ReadonlySet<string>): string[] {
  return report.samples
    .filter((s) => s.quality.pass)
    .filter((s) => s.objects.length === 0 || s.objects.some((o) => !keysInBucket.has(o.key)))
    .map((s) => s.sample ?? s.file);
}

export interface BucketEvidence {
  demo: DemoReport;
  inspection: BucketInspection;
  lost: string[];
}

/** Runs the demo (its clips, signed in as ada) on a moto server of its own, inspects the bucket, stops moto. */
export async function collectBucketEvidence(log: (line: string) => void): Promise<BucketEvidence> {
  const emulator = await startProvisionedEmulator();
  try {
    const quiet = { stdout: log, stderr: log, readStdin: async () => '' };
    const env = { ...process.env };
    delete env.AWS_ENDPOINT_URL;
    const demo = await runDemo({ endpoint: emulator.moto.endpoint, files: demoClips(), io: quiet, env, log });
    const s3 = new S3Client(s3ClientConfig(emulator.target));
    try {
      const inspection = await inspectBucket(s3, emulator.deployment);
      const keys = new Set((await listVersions(s3, emulator.deployment.bucket)).map((v) => v.key));
      return { demo, inspection, lost: lostSamples(demo, keys) };
    } finally {
      s3.destroy();
    }
  } finally {
    await emulator.moto.stop();
  }
}
