// The whole pipeline against a real moto server behind a loopback proxy that records every request
// and can cut KMS off: only ciphertext crosses the wire, and a take sealed while KMS is unreachable
// is re-sealed and uploaded once it is back.
import { readFileSync } from 'node:fs';
import { HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio';
import type { Deployment } from '../aws/deployment';
import { emulatorCredentials, s3ClientConfig } from '../aws/target';
import { readerAccess } from '../cli/reader-access';
import { readSealedHeader } from '../crypto';
import { startLoopbackProxy, type LoopbackProxy } from '../emulator/loopback-proxy';
import { useTestEmulator } from '../emulator/test-emulator';
import { filesUnder, findPlaintextWindows, pcmForms, type NamedBytes } from '../evidence/plaintext-windows';
import { extractFeaturesFromFile } from '../features';
import type { SampleManifest } from './manifest';
import { storedFeatureBytes } from './stored-features';
import { openTestWorkspace, referenceClip } from './testing';

const emulator = useTestEmulator();
let proxy: LoopbackProxy;
let wired: Deployment;

beforeAll(async () => {
  proxy = await startLoopbackProxy({ target: emulator().deployment.endpoint! });
  wired = { ...emulator().deployment, endpoint: proxy.url };
});
afterAll(async () => proxy.close());

function adminS3(): S3Client {
  return new S3Client({ ...s3ClientConfig({ region: wired.region, endpoint: emulator().deployment.endpoint! }), credentials: emulatorCredentials });
}

async function versionsUnder(prefix: string): Promise<{ key: string; versions: number }[]> {
  const s3 = adminS3();
  try {
    const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: wired.bucket, Prefix: prefix }));
    const counts = new Map<string, number>();
    for (const v of listing.Versions ?? []) counts.set(v.Key!, (counts.get(v.Key!) ?? 0) + 1);
    return [...counts].map(([key, versions]) => ({ key, versions }));
  } finally {
    s3.destroy();
  }
}

describe('the sealed pipeline end to end', () => {
  it('sends no 32-byte window of the PCM, the source file or the features over the wire', async () => {
    const clips = [referenceClip('speech_en_16k.wav'), referenceClip('speech_de_48k.wav')];
    const ws = await openTestWorkspace(wired, { partition: (p) => ({ ...p, keepRaw: true }) });
    const first = proxy.requests.length;
    for (const clip of clips) expect((await ws.ingest.ingestFile(clip)).status).toBe('queued');
    const drained = await ws.uploader.drain();
    expect(drained.remaining).toEqual([]);
    expect(drained.uploaded).toHaveLength(2);

    const secrets: NamedBytes[] = [];
    for (const clip of clips) {
      secrets.push({ name: `${clip} file`, bytes: readFileSync(clip) }, ...pcmForms(clip, (await decodeAudioFile(clip)).samples));
      secrets.push({ name: `${clip} features`, bytes: storedFeatureBytes(await extractFeaturesFromFile(clip, 'speech16k'), 'log-mel') });
    }
    const wire = proxy.requests.slice(first).map((r, i) => ({ name: `${i} ${r.service} ${r.method} ${r.path}`, bytes: r.body }));
    const uploadBytes = wire.filter((r) => r.name.includes(' s3 PUT ')).reduce((n, r) => n + r.bytes.length, 0);
    expect(uploadBytes).toBeGreaterThan(1_000_000); // raw WAVs and features did go over this wire, sealed
    expect(findPlaintextWindows(secrets, wire)).toEqual([]);
    expect(findPlaintextWindows(secrets, await filesUnder(ws.dataDir))).toEqual([]);

    // What S3 holds: one version per object, SSE-KMS under the storage key, S3's SHA-256 = the receipt's.
    const s3 = adminS3();
    try {
      for (const { sample, objects } of drained.uploaded) {
        expect(objects.map((o) => o.key.split('/')[0]).sort(), sample).toEqual(['features', 'manifests', 'raw']);
        for (const object of objects) {
          const head = await s3.send(new HeadObjectCommand({ Bucket: wired.bucket, Key: object.key, ChecksumMode: 'ENABLED' }));
          expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: wired.storageKeyArn, ChecksumSHA256: object.sha256, ContentLength: object.bytes });
          expect(await versionsUnder(object.key)).toEqual([{ key: object.key, versions: 1 }]);
        }
      }
    } finally {
      s3.destroy();
    }
    ws.close();
  });

  it('seals under the device key while KMS is unreachable, then re-seals and uploads when it is back', async () => {
    const ws = await openTestWorkspace(wired);
    proxy.setFault((request) => (request.service === 'kms' ? { kind: 'refuse' } : undefined));
    try {
      const outcome = await ws.ingest.ingestFile(referenceClip('speech_en_22k.wav'), 'p2');
      expect(outcome.status).toBe('queued');
      const entry = await ws.outbox.get(outcome.sample);
      expect(entry.objects.map((o) => o.sealedWith)).toEqual(['device', 'device']);
      for (const o of entry.objects) {
        expect(readSealedHeader(await ws.outbox.readObject(outcome.sample, o.key)).encryptedDataKeys.map((k) => k.providerId)).toEqual(['voicevault-device']);
      }
      const offline = await ws.uploader.drain();
      expect(offline.uploaded).toEqual([]);
      expect(offline.remaining).toMatchObject([{ sample: outcome.sample, error: { code: 'KmsUnavailable' } }]);
      expect(await versionsUnder(`features/demo/${ws.session.claims.sub}/${outcome.sample}`)).toEqual([]);
    } finally {
      proxy.setFault(undefined);
    }

    const online = await ws.uploader.drain();
    expect(online.remaining).toEqual([]);
    const [receipt] = online.uploaded;
    const featuresKey = receipt!.objects.find((o) => o.key.startsWith('features/'))!;
    const manifestKey = receipt!.objects.find((o) => o.key.startsWith('manifests/'))!.key;

    // The training side opens both under KMS; the manifest names the features' new ciphertext hash.
    const reader = readerAccess(wired, {});
    try {
      const features = await reader.open(await reader.getObject(featuresKey.key), featuresKey.key);
      const local = storedFeatureBytes(await extractFeaturesFromFile(referenceClip('speech_en_22k.wav'), 'speech16k'), 'log-mel');
      expect(Buffer.from(features.plaintext).equals(Buffer.from(local))).toBe(true);
      const manifest = JSON.parse(Buffer.from((await reader.open(await reader.getObject(manifestKey), manifestKey)).plaintext).toString()) as SampleManifest;
      expect(manifest.objects).toEqual([{ kind: 'features', key: featuresKey.key, bytes: featuresKey.bytes, sha256: featuresKey.sha256 }]);
      expect(manifest).toMatchObject({ promptId: 'p2', sample: receipt!.sample, contractor: ws.session.claims.sub, consentVersion: '2026-11-01' });
    } finally {
      reader.close();
    }
    const audit = readFileSync(`${ws.dataDir}/users/${ws.session.claims.sub}/audit.jsonl`, 'utf8');
    expect(audit.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['sealed', 'resealed', 'uploaded']);
    ws.close();
  });
});
