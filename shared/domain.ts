// Domain types that cross the IPC contract: what the renderer may see of sign-in, takes, the outbox
// and receipts. Plain data only: no tokens, keys or audio ever appear here.

/** The quality report of one take (see main/audio/quality.ts for how each figure is computed). */
export interface QualityReportView {
  sampleRate: number;
  durationSeconds: number;
  peakDbfs: number;
  rmsDbfs: number;
  clippedPct: number;
  noiseFloorDbfs: number;
  speechDbfs: number;
  snrDb: number;
  silencePct: number;
  speechRatio: number;
  frameCount: number;
}

export interface QualityVerdict {
  pass: boolean;
  /** One plain sentence per failed requirement. */
  reasons: string[];
}

/** Where sign-in stands. Every step that needs the contractor says what to ask for. */
export type SignInStep =
  | { step: 'signedIn'; session: SessionSummary }
  | { step: 'newPasswordRequired' }
  | { step: 'mfaSetup'; otpauthUri: string; secret: string }
  | { step: 'mfaCode' };

export interface SessionSummary {
  username: string;
  partition: string;
  isAdmin: boolean;
  /** The consent version this contractor accepted on this device, if any. */
  consentAccepted?: string;
}

export interface AppInfo {
  version: string;
  target: 'emulator' | 'aws';
  region: string;
  /** "Local emulator" or "AWS eu-central-1": shown unmistakably in the window. */
  environmentLabel: string;
}

/** A take recorded in the window, held in main-process memory until submitted or discarded. */
export interface TakeReview {
  sample: string;
  promptId: string;
  quality: QualityReportView;
  verdict: QualityVerdict;
  /** A small log-mel picture of the take (frames × bands, 0–1), for display only. */
  melPreview: { frames: number; bands: number; values: number[] };
}

export interface MicCheckReport {
  sampleRate: number;
  noiseFloorDbfs: number;
  peakDbfs: number;
  clippedPct: number;
  /** Plain advice, one sentence each; empty when the room and microphone are fine. */
  advice: string[];
  ok: boolean;
}

export type OutboxState = 'sealed' | 'waiting-for-network' | 'uploading' | 'uploaded' | 'failed';

export interface ReceiptObject {
  key: string;
  bytes: number;
  /** SHA-256 of the ciphertext as S3 stored it, base64. */
  sha256: string;
}

export interface Receipt {
  sample: string;
  uploadedAt: string;
  objects: ReceiptObject[];
}

export interface OutboxItemView {
  sample: string;
  promptId?: string;
  source: string;
  state: OutboxState;
  /** 0–100 while uploading. */
  progress: number;
  /** A plain sentence when state is failed or waiting. */
  problem?: string;
  receipt?: Receipt;
}

export interface ImportResult {
  name: string;
  accepted: boolean;
  sample?: string;
  /** Why a file was rejected, in plain words. */
  reasons: string[];
}

export interface PromptProgress {
  recorded: string[];
  skipped: string[];
}
