// The pipeline up to the outbox, against a real moto server: what is sealed, under which context,
// and what never gets that far.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio';
import { KMS } from '@aws-sdk/client-kms';
import { clientConfig } from '../aws/target';
import { createOpener, readSealedHeader } from '../crypto';
import { useTestEmulator } from '../emulator/test-emulator';
import { filesUnder, findPlaintextWindows, pcmForms } from '../evidence/plaintext-windows';
import { decodeSafetensors, extractFeaturesFromFile } from '../features';
import { openTestWorkspace, referenceClip } from './testing';
import { storedFeatureBytes } from './stored-features';

const emulator = useTestEmulator();
const speech = referenceClip('speech_en_16k.wav');

describe('sealing a take into the outbox', () => {
  it('seals the features and the manifest of a passing take, each under its own exact context', async () => {
    const { deployment } = emulator();
    const ws = await openTestWorkspace(deployment);
    const outcome = await ws.ingest.ingestFile(speech, 'p1');
    expect(outcome).toMatchObject({ status: 'queued', verdict: { pass: true, reasons: [] } });
    const sample = outcome.sample;
    const sub = ws.session.claims.sub;
    const entry = await ws.outbox.get(sample);
    expect(entry.objects.map((o) => o.key).sort()).toEqual([`features/demo/${sub}/${sample}.speech16k.sealed`, `manifests/demo/${sub}/${sample}.sealed`]);
    for (const object of entry.objects) {
      const header = readSealedHeader(await ws.outbox.readObject(sample, object.key));
      const kind = object.key.startsWith('features/') ? 'features' : 'manifest';
      const { 'aws-crypto-public-key': publicKey, ...context } = header.encryptionContext;
      expect(publicKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(context).toEqual({
        app: 'voicevault',
        kind,
        partition: 'demo',
        contractor: sub,
        sample,
        consent: '2026-11-01',
        policy: expect.stringMatching(/^[0-9a-f]{64}$/),
        ...(kind === 'features' ? { preset: 'speech16k' } : {}),
      });
      expect(header.suiteId).toBe(0x0578);
      expect(header.frameLength).toBe(1024 * 1024);
      expect(header.encryptedDataKeys).toEqual([{ providerId: 'aws-kms', providerInfo: deployment.envelopeKeyArn }]);
      expect(object.metadata['voicevault-audit-head']).toMatch(/^[0-9a-f]{64}$/);
    }
    ws.close();
  });

  it('keeps raw audio only when the partition says so', async () => {
    const ws = await openTestWorkspace(emulator().deployment, { partition: (p) => ({ ...p, keepRaw: true }) });
    const outcome = await ws.ingest.ingestFile(referenceClip('speech_de_22k.wav'));
    const entry = await ws.outbox.get(outcome.sample);
    expect(entry.objects.map((o) => o.key.split('/')[0]).sort()).toEqual(['features', 'manifests', 'raw']);
    ws.close();
  });

  it('stores what the partition feature tier says: mel, log-mel and MFCC frames; MFCC frames only; or utterance statistics only', async () => {
    const { deployment, adminTarget } = emulator();
    const kms = new KMS(clientConfig(adminTarget));
    const opener = createOpener({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
    const expected = { 'log-mel': ['log_mel_db', 'mel_power', 'mfcc'], mfcc: ['mfcc'], summary: ['summary'] } as const;
    for (const tier of ['log-mel', 'mfcc', 'summary'] as const) {
      const ws = await openTestWorkspace(deployment, { partition: (p) => ({ ...p, featureTier: tier }) });
      const { sample } = await ws.ingest.ingestFile(speech);
      const key = (await ws.outbox.get(sample)).objects.find((o) => o.key.startsWith('features/'))!.key;
      const { plaintext } = await opener.open(await ws.outbox.readObject(sample, key), key);
      const stored = decodeSafetensors(plaintext);
      expect(Object.keys(stored.tensors).sort(), tier).toEqual(expected[tier]);
      expect(stored.metadata).toMatchObject({ preset: 'speech16k' });
      ws.close();
    }
    kms.destroy();
  });

  it('never lets a take that fails the quality gate reach the outbox, and says why', async () => {
    const ws = await openTestWorkspace(emulator().deployment);
    const outcome = await ws.ingest.ingestFile(referenceClip('noise_16k.wav'));
    expect(outcome).toMatchObject({ status: 'rejected', reasons: [expect.stringMatching(/^too noisy: /)] });
    expect(await ws.outbox.has(outcome.sample)).toBe(false);
    expect(ws.ledger.get(outcome.sample)).toMatchObject({ state: 'rejected' });
    ws.close();
  });

  it('rejects hostile files with a typed reason before anything is sealed', async () => {
    const ws = await openTestWorkspace(emulator().deployment);
    const wav = readFileSync(speech);
    const hostile: [string, Uint8Array][] = [
      ['truncated.wav', wav.subarray(0, 30)],
      ['random.wav', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)],
      ['huge-rate.wav', (() => {
        const copy = Uint8Array.from(wav);
        new DataView(copy.buffer).setUint32(24, 1_000_000_000, true);
        return copy;
      })()],
      ['empty.wav', new Uint8Array(0)],
    ];
    for (const [name, bytes] of hostile) {
      const path = join(ws.dataDir, name);
      writeFileSync(path, bytes);
      const outcome = await ws.ingest.ingestFile(path);
      expect(outcome.status, name).toBe('rejected');
      expect(await ws.outbox.has(outcome.sample), name).toBe(false);
    }
    expect(await ws.outbox.list()).toEqual([]);
    ws.close();
  });

  it('refuses to seal anything before the partition consent is accepted', async () => {
    const ws = await openTestWorkspace(emulator().deployment, { acceptConsent: false });
    await expect(ws.ingest.ingestFile(speech)).rejects.toMatchObject({ code: 'AccessDenied', message: expect.stringContaining('consent') });
    expect(await ws.outbox.list()).toEqual([]);
    ws.close();
  });

  it('refuses a prompt the partition does not have, before any work', async () => {
    const ws = await openTestWorkspace(emulator().deployment);
    await expect(ws.ingest.ingestFile(speech, 'p99')).rejects.toMatchObject({ code: 'InvalidArgument', message: 'Partition demo has no prompt "p99".' });
    expect(await ws.outbox.list()).toEqual([]);
    ws.close();
  });

  it('recognises a file it already queued and does not seal it twice', async () => {
    const ws = await openTestWorkspace(emulator().deployment);
    const first = await ws.ingest.ingestFile(speech);
    expect(await ws.ingest.ingestFile(speech)).toEqual({ status: 'already-done', sample: first.sample, state: 'queued' });
    expect(await ws.outbox.list()).toHaveLength(1);
    ws.close();
  });

  it('leaves no 32-byte window of the audio, the file or the features anywhere in the data directory', async () => {
    const ws = await openTestWorkspace(emulator().deployment, { partition: (p) => ({ ...p, keepRaw: true }) });
    const clip = referenceClip('speech_en_22k.wav');
    await ws.ingest.ingestFile(clip);
    const decoded = await decodeAudioFile(clip);
    const features = storedFeatureBytes(await extractFeaturesFromFile(clip, 'speech16k'), 'log-mel');
    const secrets = [{ name: 'file', bytes: readFileSync(clip) }, ...pcmForms('pcm', decoded.samples), { name: 'features', bytes: features }];
    const files = await filesUnder(ws.dataDir);
    expect(files.length).toBeGreaterThan(3);
    expect(findPlaintextWindows(secrets, files)).toEqual([]);
    // The search itself finds a planted window, so an empty answer means something.
    expect(findPlaintextWindows(secrets, [{ name: 'planted', bytes: features.subarray(features.length / 2, features.length / 2 + 40) }])).toHaveLength(1);
    ws.close();
  });
});
