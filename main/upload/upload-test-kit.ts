// Shared by the upload tests: an outbox in a temporary folder filled with random "ciphertext"
// (sealing is main/crypto's job; here only the bytes matter), S3 clients through the loopback
// proxy, and what the bucket holds, read with admin credentials.
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { Deployment } from '../aws/deployment';
import { emulatorCredentials, s3ClientConfig, type AwsTarget } from '../aws/target';
import type { LoopbackProxy, ProxiedRequest } from '../emulator/loopback-proxy';
import { Outbox, type NewOutboxEntry } from '../outbox';

export const mebibyte = 1024 * 1024;

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

/** S3's composite checksum, written out here from its definition (not imported from the code under test). */
export function expectedComposite(bytes: Uint8Array, partBytes: number): string {
  const digests: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += partBytes) {
    digests.push(createHash('sha256').update(bytes.subarray(offset, offset + partBytes)).digest());
  }
  return `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-${digests.length}`;
}

export async function temporaryOutbox(): Promise<{ outbox: Outbox; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'voicevault-upload-'));
  return { outbox: await Outbox.open(dir), dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface SealedSample {
  input: NewOutboxEntry;
  bytes: Map<string, Buffer>;
}

/** A sample with one random object per size, keyed like the real layout. */
export function sealedSample(sizes: number[], sample = ulid()): SealedSample {
  const bytes = new Map<string, Buffer>();
  const input: NewOutboxEntry = {
    sample,
    source: `${sample}.wav`,
    createdAt: new Date().toISOString(),
    objects: sizes.map((size, i) => {
      const ciphertext = randomBytes(size);
      const key = `${i === 0 ? 'features' : 'raw'}/demo/test-contractor/${sample}.${i}.sealed`;
      bytes.set(key, ciphertext);
      return { key, ciphertext, sha256: sha256(ciphertext), sealedWith: 'kms', metadata: { 'audit-head': `head-of-${sample}` } };
    }),
  };
  return { input, bytes };
}

/** A client factory through the proxy with fixed emulator credentials; SDK retries off, the uploader's are under test. */
export function proxiedS3(deployment: Deployment, proxy: LoopbackProxy, clients: S3Client[]): () => S3Client {
  return () => {
    const client = new S3Client({ ...s3ClientConfig({ region: deployment.region, endpoint: proxy.url }), credentials: emulatorCredentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
}

export class Bucket {
  private readonly client: S3Client;

  constructor(
    adminTarget: AwsTarget,
    private readonly name: string,
  ) {
    this.client = new S3Client(s3ClientConfig(adminTarget));
  }

  head(key: string): Promise<HeadObjectCommandOutput> {
    return this.client.send(new HeadObjectCommand({ Bucket: this.name, Key: key, ChecksumMode: 'ENABLED' }));
  }

  async bytes(key: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  async versions(key: string): Promise<number> {
    const listed = await this.client.send(new ListObjectVersionsCommand({ Bucket: this.name, Prefix: key }));
    return (listed.Versions ?? []).filter((v) => v.Key === key).length;
  }

  close(): void {
    this.client.destroy();
  }
}

/** The S3 operation a recorded request was, from its method and query. */
export function s3Operation(request: ProxiedRequest): string {
  const query = new URLSearchParams(request.path.split('?')[1] ?? '');
  if (request.method === 'PUT') return query.has('partNumber') ? 'UploadPart' : 'PutObject';
  if (request.method === 'POST') return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  if (request.method === 'GET' && query.has('uploadId')) return 'ListParts';
  if (request.method === 'HEAD') return 'HeadObject';
  return `${request.method} ${request.path}`;
}

export function partNumberOf(request: ProxiedRequest): number | undefined {
  const value = new URLSearchParams(request.path.split('?')[1] ?? '').get('partNumber');
  return value === null ? undefined : Number(value);
}

/** A sleep that records the delays asked for and returns at once, so backoff is visible and fast. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}
