// Domain types that cross the IPC contract: what the renderer may see of sign-in, takes, the outbox
// and receipts. Plain data only: no tokens, keys or audio ever appear here.
import type { Partition } from './partition';

/** The quality report of one take, computed in main/audio/quality.ts with 20 ms frames. */
export interface QualityReportView {
  sampleRate: number;
  durationSeconds: number;
  /** Highest |sample| in dBFS. */
  peakDbfs: number;
  /** RMS of the whole take in dBFS. */
  rmsDbfs: number;
  /** Percentage of samples with |x| ≥ 0.999. */
  clippedPct: number;
  /** 10th-percentile 20 ms frame RMS, in dBFS. */
  noiseFloorDbfs: number;
  /** 90th-percentile RMS of speech frames (≥ 10 dB above the noise floor), in dBFS; the floor value when there are none. */
  speechDbfs: number;
  /** speechDbfs − noiseFloorDbfs. */
  snrDb: number;
  /** Percentage of frames below −60 dBFS. */
  silencePct: number;
  /** Speech frames over all frames, 0–1. */
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

// ---- Admin views (main/admin): what the admin screens and the CLI show. Built from the user pool and
// from listing keys, sizes and dates in the bucket; never from decrypting anything.

/** A user of the pool as admins see them. */
export interface DirectoryUser {
  username: string;
  /** The user-pool `sub`: the contractor id in object keys. */
  sub: string;
  partition?: string;
  enabled: boolean;
  /** Cognito's UserStatus, e.g. CONFIRMED or FORCE_CHANGE_PASSWORD. */
  status: string;
  createdAt: string;
  isAdmin: boolean;
}

/** A partition's state from listing keys and sizes (raw, features, manifests). */
export interface PartitionStatusView {
  /** Users whose custom:partition names it. */
  contractors: number;
  /** Distinct contractor ids with objects under it. */
  contributors: number;
  /** Sealed manifests: one per accepted sample. */
  samples: number;
  bytes: number;
  lastUpload?: string;
}

export interface PartitionSummaryView {
  id: string;
  name: string;
  keepRaw: boolean;
  featureTier: string;
  status: PartitionStatusView;
}

/** What the one contractor role lets a member of this partition do, in plain words. */
export interface RolePreview {
  allowed: string[];
  denied: string[];
}

export interface LifecycleRuleView {
  id: string;
  /** global: written for the whole bucket; partition: one partition's raw audio; other: not VoiceVault's. */
  owner: 'global' | 'partition' | 'other';
  partition?: string;
  prefix: string;
  enabled: boolean;
  glacierDays?: number;
  expireDays?: number;
  noncurrentExpireDays?: number;
  abortMultipartDays?: number;
  /** Plain words: what the rule does. */
  summary: string;
}

export interface AlarmView {
  name: string;
  state: string;
  reason: string;
  updatedAt?: string;
}

/** A contractor's "withdraw consent and erase my samples" request, from its key (never decrypted). */
export interface WithdrawalRequestView {
  requestId: string;
  partition: string;
  contractor: string;
  username?: string;
  requestedAt: string;
  key: string;
}

export interface AccessReviewRow {
  username: string;
  role: 'contractor' | 'admin';
  partition: string;
  /** 'active', 'disabled', or Cognito's status for accounts not yet confirmed. */
  status: string;
  /** The newest object under the user's prefixes, else when the account was created. */
  lastActivity: string;
  lastActivitySource: 'upload' | 'account-created';
  idleDays: number;
  idle: boolean;
}

export interface AccessReview {
  generatedAt: string;
  idleAfterDays: number;
  rows: AccessReviewRow[];
  csv: string;
}

export interface ErasedObjectView {
  key: string;
  /** Versions and delete markers removed for this key. */
  versions: number;
  bytes: number;
}

export interface EraseReport {
  contractor: string;
  username?: string;
  reason: string;
  /** Erased sample ids by partition (what the deletion feed now lists). */
  partitions: { partition: string; samples: string[] }[];
  objects: ErasedObjectView[];
  objectVersions: number;
  bytes: number;
  /** Keys of the deletion-feed records written. */
  deletionRecords: string[];
}

export interface RevokeReport {
  username: string;
  disabled: true;
  signedOutEverywhere: true;
}

export interface MembershipChange {
  username: string;
  partition?: string;
  previous?: string;
  /** A move or removal also signs the user out everywhere, so no device keeps writing under the old partition. */
  signedOutEverywhere: boolean;
}

export interface WithdrawalReceipt {
  requestId: string;
  requestedAt: string;
}

/** A partition as the admin editor opens it: the configuration and the version (ETag) to save against. */
export interface AdminPartitionDetail {
  partition: Partition;
  etag: string;
  rolePreview: RolePreview;
  lifecycleRule?: LifecycleRuleView;
  /** User names whose custom:partition names it. */
  members: string[];
}

/** A saved partition; the save also brought the bucket lifecycle in line, or says why not. */
export interface SavedPartitionView {
  partition: Partition;
  etag: string;
  lifecycle: { applied: true; writes: number } | { applied: false; problem: string };
}
