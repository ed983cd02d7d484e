// The contract handlers of the recording window: takes arrive as float32 chunks and stay in this
// process's memory until submitted (sealed into the outbox) or discarded (overwritten); imports
// arrive as bytes; the outbox drains in the background and the window polls its state.
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { MicCheckReport, OutboxItemView, TakeReview } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { IpcHandlers } from '../../shared/ipc-contract';
import type { Partition } from '../../shared/partition';
import { analyseQuality } from '../audio';
import { deploymentTarget } from '../aws/deployment';
import { s3ClientConfig } from '../aws/target';
import { readPartitionConfig } from '../partitions/config-store';
import type { AnalysedTake } from '../pipeline/ingest';
import { wipeTake } from '../pipeline/ingest';
import { wipe } from '../pipeline/pcm-stream';
import { melPreview } from '../pipeline/stored-features';
import { SampleLedger } from '../pipeline/sample-ledger';
import { openWorkspace, userDirectory, type Workspace } from '../pipeline/workspace';
import type { ActiveSession, SessionContext } from './context';

type TakeMethods =
  | 'acceptConsent'
  | 'getPromptProgress'
  | 'checkMicrophone'
  | 'beginTake'
  | 'appendTakeAudio'
  | 'finishTake'
  | 'submitTake'
  | 'discardTake'
  | 'skipPrompt'
  | 'importAudio'
  | 'listOutbox'
  | 'retryUpload';

interface Take {
  promptId: string;
  sampleRate: number;
  chunks: Float32Array[];
  samples: number;
  analysed?: AnalysedTake;
}

/** Longest take held in memory, whatever the partition allows: ten minutes. */
const maxTakeSeconds = 600;
/** How often waiting uploads are tried again while the app runs. */
const retryIntervalMs = 15_000;

export function createTakeHandlers(context: SessionContext): Pick<IpcHandlers, TakeMethods> {
  let open: { session: ActiveSession; workspace: Promise<Workspace> } | undefined;
  const takes = new Map<string, Take>();
  let draining: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const discardAll = (): void => {
    for (const take of takes.values()) discard(take);
    takes.clear();
  };

  context.onSignOut(async () => {
    discardAll();
    if (timer) clearInterval(timer);
    timer = undefined;
    const closing = open?.workspace;
    open = undefined;
    if (closing) (await closing.catch(() => undefined))?.close();
  });

  const workspace = async (): Promise<Workspace> => {
    const session = context.requireSession();
    if (open?.session !== session) {
      open = { session, workspace: openSessionWorkspace(context, session) };
      open.workspace.catch(() => (open = undefined));
    }
    return open.workspace;
  };

  /** Drains the outbox in the background; a request while draining runs one more pass after it. */
  const uploadInBackground = (ws: Workspace): void => {
    timer ??= setInterval(() => uploadInBackground(ws), retryIntervalMs).unref();
    if (draining) {
      again = true;
      return;
    }
    draining = ws.uploader
      .drain()
      .then(
        () => undefined,
        () => undefined, // each entry keeps its own error for the window to show
      )
      .finally(() => {
        draining = undefined;
        if (again) {
          again = false;
          uploadInBackground(ws);
        }
      });
  };

  const itemOf = async (ws: Workspace, sample: string): Promise<OutboxItemView> => {
    const item = (await ws.outboxView()).find((i) => i.sample === sample);
    if (!item) throw new VoiceVaultError('NotFound', 'That sample is not on this device.');
    return item;
  };

  const takeOf = (sample: string): Take => {
    const take = takes.get(sample);
    if (!take) throw new VoiceVaultError('NotFound', 'That take is no longer here: it was submitted, discarded or you signed out.');
    return take;
  };

  return {
    acceptConsent: async ({ version }) => {
      const ws = await workspace();
      const current = ws.ingest.partition.consent.version;
      if (version !== current) throw new VoiceVaultError('InvalidArgument', `The consent text changed (now version ${current}); please read it again.`);
      await ws.ledger.acceptConsent(version);
      const { claims } = context.requireSession();
      return { username: claims.username, partition: claims.partition ?? '', isAdmin: claims.groups.includes('admins'), consentAccepted: version };
    },

    getPromptProgress: async () => {
      const ws = await workspace();
      const recorded = new Set<string>();
      const skipped = new Set<string>();
      for (const e of ws.ledger.entries()) {
        if (!e.promptId) continue;
        if (e.state === 'queued' || e.state === 'uploaded') recorded.add(e.promptId);
        if (e.state === 'skipped') skipped.add(e.promptId);
      }
      return { recorded: [...recorded], skipped: [...skipped].filter((p) => !recorded.has(p)) };
    },

    checkMicrophone: async ({ sampleRate, pcm }) => {
      const ws = await workspace();
      const samples = new Float32Array(pcm);
      try {
        return micAdvice(analyseQuality(samples, sampleRate), ws.ingest.partition);
      } finally {
        wipe([samples]);
      }
    },

    beginTake: async ({ promptId, sampleRate }) => {
      const ws = await workspace();
      if (!ws.ingest.partition.prompts.some((p) => p.id === promptId)) throw new VoiceVaultError('InvalidArgument', `This partition has no prompt ${promptId}.`);
      const sample = ws.ingest.allocateSampleId();
      takes.set(sample, { promptId, sampleRate, chunks: [], samples: 0 });
      return { sample };
    },

    appendTakeAudio: async ({ sample, pcm }) => {
      const take = takeOf(sample);
      if (take.analysed) throw new VoiceVaultError('InvalidArgument', 'This take is finished; record a new one.');
      const chunk = new Float32Array(pcm);
      if ((take.samples + chunk.length) / take.sampleRate > maxTakeSeconds) throw new VoiceVaultError('AudioTooLong', 'Takes can be at most ten minutes long.');
      take.chunks.push(chunk);
      take.samples += chunk.length;
      return { seconds: take.samples / take.sampleRate };
    },

    finishTake: async ({ sample }): Promise<TakeReview> => {
      const ws = await workspace();
      const take = takeOf(sample);
      if (take.samples === 0) throw new VoiceVaultError('EmptyFile', 'Nothing was recorded. Check the microphone and try again.');
      if (take.analysed) wipeTake(take.analysed);
      take.analysed = await ws.ingest.analysePcm(take.chunks, take.sampleRate, { sample, promptId: take.promptId });
      const { quality } = take.analysed.extraction;
      return { sample, promptId: take.promptId, quality, verdict: take.analysed.verdict, melPreview: melPreview(take.analysed.extraction) };
    },

    submitTake: async ({ sample }) => {
      const ws = await workspace();
      const take = takeOf(sample);
      if (!take.analysed) throw new VoiceVaultError('InvalidArgument', 'Stop the recording before submitting it.');
      if (!take.analysed.verdict.pass) {
        throw new VoiceVaultError('QualityFailed', `This take does not meet the partition's requirements: ${take.analysed.verdict.reasons.join('; ')}.`);
      }
      const outcome = await ws.ingest.seal(take.analysed);
      takes.delete(sample);
      discard(take);
      if (outcome.status === 'rejected') throw new VoiceVaultError('QualityFailed', outcome.reasons.join('; '));
      uploadInBackground(ws);
      return itemOf(ws, sample);
    },

    discardTake: async ({ sample }) => {
      const take = takes.get(sample);
      if (take) discard(take);
      takes.delete(sample);
      return { discarded: true as const };
    },

    skipPrompt: async ({ promptId, reason }) => {
      const ws = await workspace();
      if (!ws.ingest.partition.prompts.some((p) => p.id === promptId)) throw new VoiceVaultError('InvalidArgument', `This partition has no prompt ${promptId}.`);
      const sample = ws.ingest.allocateSampleId();
      await ws.ledger.put({ sample, source: 'skipped prompt', promptId, state: 'skipped', reasons: [reason] });
      await ws.audit.append({ action: 'prompt-skipped', detail: { promptId, reason } });
      return { skipped: true as const };
    },

    importAudio: async ({ name, bytes, promptId }) => {
      const ws = await workspace();
      const outcome = await ws.ingest.ingestBytes(new Uint8Array(bytes), name, promptId);
      if (outcome.status === 'rejected') return { name, accepted: false, sample: outcome.sample, reasons: outcome.reasons };
      uploadInBackground(ws);
      return { name, accepted: true, sample: outcome.sample, reasons: [] };
    },

    listOutbox: async () => (await workspace()).outboxView(),

    retryUpload: async ({ sample }) => {
      const ws = await workspace();
      await ws.uploader.retry(sample);
      uploadInBackground(ws);
      return itemOf(ws, sample);
    },
  };
}

/** The consent version this contractor accepted on this device (read from their ledger), if any. */
export async function consentAcceptedOnDevice(context: SessionContext, session: ActiveSession): Promise<string | undefined> {
  const ledger = await SampleLedger.open(join(userDirectory(context.dataDir, session.claims.sub), 'ledger.json'));
  return ledger.consentAccepted;
}

function discard(take: Take): void {
  wipe(take.chunks);
  take.chunks = [];
  if (take.analysed) wipeTake(take.analysed);
}

async function openSessionWorkspace(context: SessionContext, session: ActiveSession): Promise<Workspace> {
  const { deployment } = context;
  const s3 = new S3Client(s3ClientConfig({ ...deploymentTarget(deployment), credentials: session.credentials }));
  let partition: Partition;
  try {
    partition = (await readPartitionConfig(s3, deployment.bucket, session.claims.partition ?? '')).partition;
  } finally {
    s3.destroy();
  }
  return openWorkspace({ deployment, session, partition, dataDir: context.dataDir, secretStore: context.secretStore, appVersion: context.appVersion, now: context.now });
}

/** Plain advice from five seconds of the microphone in the room. */
export function micAdvice(report: ReturnType<typeof analyseQuality>, partition: Partition): MicCheckReport {
  const advice: string[] = [];
  if (report.sampleRate < partition.requirements.sampleRate) {
    advice.push(`This microphone records at ${report.sampleRate} Hz; this partition needs at least ${partition.requirements.sampleRate} Hz. Choose another microphone.`);
  }
  if (report.clippedPct > partition.requirements.maxClippedPct) advice.push('The input is clipping: lower the microphone gain or move back a little.');
  if (report.peakDbfs < -50) advice.push('The microphone hears almost nothing: check that it is not muted and that the right one is chosen.');
  if (report.noiseFloorDbfs > -50) advice.push(`The room is noisy (background at ${Math.round(report.noiseFloorDbfs)} dBFS): close windows, switch off fans, or find a quieter place.`);
  return {
    sampleRate: report.sampleRate,
    noiseFloorDbfs: report.noiseFloorDbfs,
    peakDbfs: report.peakDbfs,
    clippedPct: report.clippedPct,
    advice,
    ok: advice.length === 0,
  };
}
