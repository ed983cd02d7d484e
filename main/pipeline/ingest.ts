// The pipeline of one sample: analyse (decode → quality → features) → gate on the partition's
// requirements → seal features, raw (only if the partition keeps raw) and the manifest → audit →
// outbox. Nothing here uploads: the Uploader drains the outbox on its own schedule, so a take is safe
// on disk (sealed) before the network is even tried. Plaintext exists only in this process's memory
// and is overwritten once sealed.
import { createHmac, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { ulid } from 'ulid';
import type { QualityVerdict } from '../../shared/domain';
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import type { Partition } from '../../shared/partition';
import { openAudioFile, openAudioStream, memoryByteSource, checkQuality, encodeWav, type AudioStream } from '../audio';
import { extractFeaturesFromStream, featureVersion, type FeatureExtraction, type FrameFeatureExtraction } from '../features';
import { auditHeadMetadataKey, type AuditLog } from '../audit';
import type { SealContext, SealedObject, Sealer } from '../crypto';
import type { Outbox } from '../outbox';
import type { SecretStore } from '../secrets';
import { encodeManifest, manifestFormat, partitionPolicyHash, type ManifestObject, type SampleManifest } from './manifest';
import { pcmChunksStream, wipe } from './pcm-stream';
import type { SampleLedger } from './sample-ledger';
import { storedFeatureBytes } from './stored-features';

export interface IngestDeps {
  partition: Partition;
  /** The user-pool sub of the signed-in contractor. */
  contractor: string;
  appVersion: string;
  sealer: Sealer;
  outbox: Outbox;
  audit: AuditLog;
  ledger: SampleLedger;
  secretStore: SecretStore;
  now?: () => number;
  newSampleId?: () => string;
}

/** A take or file analysed in memory, not yet sealed. */
export interface AnalysedTake {
  sample: string;
  promptId?: string;
  sourceKind: 'recording' | 'import';
  sourceName: string;
  /** The summary descriptors are computed only for the summary tier (they cost about as much as the mel spectrogram). */
  extraction: FrameFeatureExtraction | FeatureExtraction;
  verdict: QualityVerdict;
  /** Decoded PCM at the source rate, kept only when the partition keeps raw audio. */
  rawPcm?: Float32Array;
}

export type IngestOutcome =
  | { status: 'queued'; sample: string; verdict: QualityVerdict }
  | { status: 'already-done'; sample: string; state: 'queued' | 'uploaded' }
  | { status: 'rejected'; sample: string; reasons: string[] };

const fileHmacSecret = 'file-hmac-key';

export class SampleIngest {
  readonly policy: string;
  private readonly now: () => number;
  private readonly newSampleId: () => string;

  constructor(private readonly deps: IngestDeps) {
    this.policy = partitionPolicyHash(deps.partition);
    this.now = deps.now ?? Date.now;
    this.newSampleId = deps.newSampleId ?? (() => ulid(this.now()));
  }

  get partition(): Partition {
    return this.deps.partition;
  }

  allocateSampleId(): string {
    return this.newSampleId();
  }

  /** Decodes and analyses a stream; keeps the PCM only if the partition stores raw audio. */
  async analyse(stream: AudioStream, info: Omit<AnalysedTake, 'extraction' | 'verdict' | 'rawPcm'>): Promise<AnalysedTake> {
    const { partition } = this.deps;
    const kept: Float32Array[] = [];
    const source: AudioStream = partition.keepRaw ? teeStream(stream, kept) : stream;
    const extraction = await extractFeaturesFromStream(source, partition.preset, { summary: partition.featureTier === 'summary' });
    const verdict = checkQuality(extraction.quality, partition.requirements, extraction.source.sampleRate);
    const take: AnalysedTake = { ...info, extraction, verdict };
    if (partition.keepRaw) {
      take.rawPcm = concat(kept);
      wipe(kept);
    }
    return take;
  }

  analysePcm(chunks: readonly Float32Array[], sampleRate: number, info: { sample: string; promptId?: string }): Promise<AnalysedTake> {
    return this.analyse(pcmChunksStream(chunks, sampleRate), { ...info, sourceKind: 'recording', sourceName: 'recording' });
  }

  /**
   * Seals an analysed take and puts it in the outbox. A take that failed the quality gate never
   * reaches the outbox. The take's plaintext is wiped whatever happens.
   */
  async seal(take: AnalysedTake): Promise<IngestOutcome> {
    const { partition, contractor, ledger, outbox, audit, sealer } = this.deps;
    const plaintexts: Uint8Array[] = [];
    try {
      if (!take.verdict.pass) {
        await ledger.put({ sample: take.sample, source: take.sourceName, ...(take.promptId ? { promptId: take.promptId } : {}), state: 'rejected', reasons: take.verdict.reasons });
        return { status: 'rejected', sample: take.sample, reasons: take.verdict.reasons };
      }
      const consent = ledger.consentAccepted;
      if (consent !== partition.consent.version) {
        throw new VoiceVaultError('AccessDenied', `Please read and accept the consent (version ${partition.consent.version}) before submitting samples.`);
      }
      const base = { app: 'voicevault', partition: partition.id, contractor, sample: take.sample, consent, policy: this.policy } as const;
      const sealed: SealedObject[] = [];
      const manifestObjects: ManifestObject[] = [];
      const add = async (kind: 'raw' | 'features', plaintext: Uint8Array, extra: Partial<SealContext> = {}): Promise<void> => {
        plaintexts.push(plaintext);
        const object = await sealer.seal(plaintext, { ...base, kind, ...extra });
        sealed.push(object);
        manifestObjects.push({ kind, key: object.key, bytes: object.ciphertext.length, sha256: object.sha256 });
      };

      await add('features', storedFeatureBytes(take.extraction, partition.featureTier), { preset: partition.preset });
      if (take.rawPcm) {
        await add('raw', encodeWav([take.rawPcm], { sampleFormat: 'float32', sampleRate: take.extraction.source.sampleRate }));
      }
      const manifest: SampleManifest = {
        format: manifestFormat,
        sample: take.sample,
        partition: partition.id,
        contractor,
        recordedAt: new Date(this.now()).toISOString(),
        source: {
          kind: take.sourceKind,
          format: take.extraction.source.format,
          sampleRate: take.extraction.source.sampleRate,
          channels: take.extraction.source.channels,
          durationSeconds: take.extraction.quality.durationSeconds,
        },
        quality: take.extraction.quality,
        verdict: take.verdict,
        preset: partition.preset,
        tier: partition.featureTier,
        featureVersion,
        ...(take.promptId ? { promptId: take.promptId } : {}),
        consentVersion: consent,
        policy: this.policy,
        appVersion: this.deps.appVersion,
        objects: manifestObjects,
      };
      const manifestObject = await sealer.seal(encodeManifest(manifest), { ...base, kind: 'manifest' });
      sealed.push(manifestObject);

      const record = await audit.append({
        action: 'sealed',
        sample: take.sample,
        objects: sealed.map((o) => ({ key: o.key, sha256: o.sha256 })),
        detail: { sealedWith: sealed.some((o) => o.sealedWith === 'device') ? 'device' : 'kms' },
      });
      await outbox.add({
        sample: take.sample,
        source: take.sourceName,
        ...(take.promptId ? { promptId: take.promptId } : {}),
        createdAt: new Date(this.now()).toISOString(),
        objects: sealed.map((o) => ({
          key: o.key,
          ciphertext: o.ciphertext,
          sha256: o.sha256,
          sealedWith: o.sealedWith,
          metadata: { [auditHeadMetadataKey]: record.hash },
        })),
      });
      await ledger.put({ sample: take.sample, source: take.sourceName, ...(take.promptId ? { promptId: take.promptId } : {}), state: 'queued' });
      return { status: 'queued', sample: take.sample, verdict: take.verdict };
    } finally {
      wipe(plaintexts);
      wipeTake(take);
    }
  }

  /** Refuses a prompt id the partition does not have, before any work is done. */
  private checkPrompt(promptId: string | undefined): void {
    if (promptId !== undefined && !this.deps.partition.prompts.some((p) => p.id === promptId)) {
      throw new VoiceVaultError('InvalidArgument', `Partition ${this.deps.partition.id} has no prompt ${JSON.stringify(promptId)}.`);
    }
  }

  /** Imports a file from disk: skipped if this device already queued or uploaded the same bytes. */
  async ingestFile(path: string, promptId?: string): Promise<IngestOutcome> {
    this.checkPrompt(promptId);
    const fileKey = await this.fileKey(path);
    const sourceName = basename(path);
    const previous = this.deps.ledger.byFileKey(fileKey);
    if (previous && (previous.state === 'queued' || previous.state === 'uploaded')) {
      return { status: 'already-done', sample: previous.sample, state: previous.state };
    }
    // Killed after the outbox took the sealed take but before the ledger said so: it is queued.
    if (previous && previous.state === 'started' && (await this.deps.outbox.has(previous.sample))) {
      await this.deps.ledger.update(previous.sample, { state: 'queued' });
      return { status: 'already-done', sample: previous.sample, state: 'queued' };
    }
    // The id is fixed the first time the file is seen, so a crash and a re-run keep it.
    const sample = previous?.sample ?? this.allocateSampleId();
    if (!previous) await this.deps.ledger.put({ sample, source: sourceName, fileKey, ...(promptId ? { promptId } : {}), state: 'started' });
    let take: AnalysedTake;
    try {
      take = await this.analyse(await openAudioFile(path), { sample, sourceKind: 'import', sourceName, ...(promptId ? { promptId } : {}) });
    } catch (error) {
      return this.rejectUnreadable(sample, sourceName, fileKey, error);
    }
    return this.seal(take);
  }

  /** Imports bytes handed over by the window (drag and drop or the file dialog). */
  async ingestBytes(bytes: Uint8Array, name: string, promptId?: string): Promise<IngestOutcome> {
    this.checkPrompt(promptId);
    const sample = this.allocateSampleId();
    let take: AnalysedTake;
    try {
      take = await this.analyse(await openAudioStream(memoryByteSource(bytes, name)), { sample, sourceKind: 'import', sourceName: name, ...(promptId ? { promptId } : {}) });
    } catch (error) {
      return this.rejectUnreadable(sample, name, undefined, error);
    } finally {
      bytes.fill(0);
    }
    return this.seal(take);
  }

  private async rejectUnreadable(sample: string, source: string, fileKey: string | undefined, error: unknown): Promise<IngestOutcome> {
    if (!isVoiceVaultError(error)) throw error;
    const reasons = [error.message];
    await this.deps.ledger.put({ sample, source, ...(fileKey ? { fileKey } : {}), state: 'rejected', reasons });
    return { status: 'rejected', sample, reasons };
  }

  /** HMAC of the file's bytes under a device secret: recognises a file again without a plain hash of the audio. */
  private async fileKey(path: string): Promise<string> {
    let key = await this.deps.secretStore.get(fileHmacSecret);
    if (!key) {
      key = randomBytes(32);
      await this.deps.secretStore.set(fileHmacSecret, key);
    }
    const hmac = createHmac('sha256', key);
    try {
      for await (const chunk of createReadStream(path)) hmac.update(chunk as Buffer);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new VoiceVaultError('FileNotFound', code === 'ENOENT' ? `${path}: no such file.` : `${path}: cannot be read (${code ?? 'error'}).`, { cause: error });
    } finally {
      key.fill(0);
    }
    return hmac.digest('hex');
  }
}

function teeStream(stream: AudioStream, kept: Float32Array[]): AudioStream {
  return {
    ...stream,
    format: stream.format,
    sampleRate: stream.sampleRate,
    channels: stream.channels,
    async *chunks() {
      for await (const chunk of stream.chunks()) {
        kept.push(chunk.slice());
        yield chunk;
      }
    },
    close: () => stream.close(),
  };
}

function concat(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Overwrites every plaintext array an analysed take holds. */
export function wipeTake(take: AnalysedTake): void {
  const { features } = take.extraction;
  wipe([take.rawPcm, features.melPower, features.logMelDb, features.mfcc]);
}
