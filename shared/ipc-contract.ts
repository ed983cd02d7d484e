// The one IPC contract. The preload bridge, the main-process handlers, the renderer's types and
// the Playwright loopback bridge are all derived from this object, so they cannot drift.
// Audio crosses as ArrayBuffer chunks of float32 mono PCM (about 100 ms each): contextBridge cannot
// hand over a MessagePort.
import { z } from 'zod';
import type {
  AccessReview,
  AdminPartitionDetail,
  AlarmView,
  AppInfo,
  DirectoryUser,
  EraseReport,
  LifecycleRuleView,
  MembershipChange,
  PartitionSummaryView,
  RevokeReport,
  SavedPartitionView,
  WithdrawalReceipt,
  WithdrawalRequestView,
  ImportResult,
  MicCheckReport,
  OutboxItemView,
  PromptProgress,
  SessionSummary,
  SignInStep,
  TakeReview,
} from './domain';
import type { ErrorResult } from './errors';
import type { IpcMethod } from './ipc-channels';
import type { Partition, Prompt } from './partition';

export { ipcChannel, ipcMethods, isIpcMethod, type IpcMethod } from './ipc-channels';
export type { AppInfo, SessionSummary } from './domain';

export type Result<T> = { type: 'success'; value: T } | ErrorResult;

const noArguments = z.undefined();
const username = z.string().min(1).max(128);
const password = z.string().min(1).max(256);
const sixDigits = z.string().regex(/^\d{6}$/, 'a six-digit code');
/** ULIDs: the sample id is fixed when the take is captured or imported. */
const sampleId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const promptId = z.string().min(1).max(64);
/** At most 10 s of 48 kHz float32 per chunk; the recorder sends about 100 ms. */
const pcmChunk = z.instanceof(ArrayBuffer).refine((b) => b.byteLength % 4 === 0 && b.byteLength <= 48_000 * 4 * 10, 'float32 PCM chunk');
/** Imported files cross as bytes (no paths): at most 256 MiB. */
const fileBytes = z.instanceof(ArrayBuffer).refine((b) => b.byteLength > 0 && b.byteLength <= 256 * 1024 * 1024, 'a file of at most 256 MiB');

/** Admin requests: names are checked here for shape; main says precisely what is wrong with their content. */
const adminUsername = z.string().min(1).max(128);
const adminPartitionId = z.string().min(1).max(63);
/** A partition as the editor sends it: any JSON object; main validates it field by field (InvalidPartition). */
const partitionJson = z.record(z.string(), z.unknown());
/** A prompt TSV as text; main refuses more than 1 MiB with its own message, this bounds the message itself. */
const promptTsv = z.string().max(4 * 1024 * 1024);

/** Request schemas, checked in main before any handler runs; the response types ride along. */
export const ipcContract = {
  getAppInfo: { request: noArguments, response: {} as AppInfo },

  signIn: { request: z.object({ username, password }).strict(), response: {} as SignInStep },
  completeNewPassword: { request: z.object({ newPassword: password }).strict(), response: {} as SignInStep },
  verifyMfaSetup: { request: z.object({ code: sixDigits }).strict(), response: {} as SignInStep },
  submitMfaCode: { request: z.object({ code: sixDigits }).strict(), response: {} as SignInStep },
  forgotPassword: { request: z.object({ username }).strict(), response: {} as { destination: string } },
  confirmForgotPassword: {
    request: z.object({ username, code: z.string().min(1).max(16), newPassword: password }).strict(),
    response: {} as { reset: true },
  },
  getSession: { request: noArguments, response: {} as SessionSummary | null },
  signOut: { request: z.object({ everywhere: z.boolean() }).strict().optional(), response: {} as { signedOut: true } },

  getPartition: { request: noArguments, response: {} as Partition },
  acceptConsent: { request: z.object({ version: z.string().min(1).max(64) }).strict(), response: {} as SessionSummary },
  /** Which prompts this contractor already recorded or skipped on this device, so a session resumes. */
  getPromptProgress: { request: noArguments, response: {} as PromptProgress },

  checkMicrophone: {
    request: z.object({ sampleRate: z.number().int().min(8000).max(192000), pcm: pcmChunk }).strict(),
    response: {} as MicCheckReport,
  },
  beginTake: {
    request: z.object({ promptId, sampleRate: z.number().int().min(8000).max(192000) }).strict(),
    response: {} as { sample: string },
  },
  appendTakeAudio: { request: z.object({ sample: sampleId, pcm: pcmChunk }).strict(), response: {} as { seconds: number } },
  finishTake: { request: z.object({ sample: sampleId }).strict(), response: {} as TakeReview },
  submitTake: { request: z.object({ sample: sampleId }).strict(), response: {} as OutboxItemView },
  discardTake: { request: z.object({ sample: sampleId }).strict(), response: {} as { discarded: true } },
  skipPrompt: {
    request: z.object({ promptId, reason: z.string().min(1).max(500) }).strict(),
    response: {} as { skipped: true },
  },
  importAudio: {
    request: z.object({ name: z.string().min(1).max(255), bytes: fileBytes, promptId: promptId.optional() }).strict(),
    response: {} as ImportResult,
  },

  listOutbox: { request: noArguments, response: {} as OutboxItemView[] },
  retryUpload: { request: z.object({ sample: sampleId }).strict(), response: {} as OutboxItemView },

  /** Seals and uploads a "withdraw consent and erase my samples" request under the contractor's own prefix. */
  requestWithdrawal: { request: noArguments, response: {} as WithdrawalReceipt },

  adminListPartitions: { request: noArguments, response: {} as PartitionSummaryView[] },
  adminGetPartition: { request: z.object({ id: adminPartitionId }).strict(), response: {} as AdminPartitionDetail },
  adminCreatePartition: { request: z.object({ partition: partitionJson }).strict(), response: {} as SavedPartitionView },
  /** Saves over the version the editor opened (its ETag); Conflict when another admin saved since. */
  adminSavePartition: { request: z.object({ partition: partitionJson, etag: z.string().min(1).max(200) }).strict(), response: {} as SavedPartitionView },
  adminParsePrompts: { request: z.object({ tsv: promptTsv }).strict(), response: {} as Prompt[] },
  adminListUsers: { request: noArguments, response: {} as DirectoryUser[] },
  adminAssignPartition: { request: z.object({ username: adminUsername, partition: adminPartitionId }).strict(), response: {} as MembershipChange },
  adminUnassignPartition: { request: z.object({ username: adminUsername }).strict(), response: {} as MembershipChange },
  adminGetLifecycle: { request: noArguments, response: {} as LifecycleRuleView[] },
  adminApplyLifecycle: { request: noArguments, response: {} as { rules: LifecycleRuleView[]; writes: number } },
  adminGetAlarms: { request: noArguments, response: {} as AlarmView[] },
  adminListWithdrawalRequests: { request: noArguments, response: {} as WithdrawalRequestView[] },
  adminAccessReview: { request: z.object({ idleDays: z.number().int().min(1).max(3650) }).strict().optional(), response: {} as AccessReview },
  adminRevokeContractor: { request: z.object({ username: adminUsername }).strict(), response: {} as RevokeReport },
  /** Erasing cannot be undone: `confirm` repeats the contractor. */
  adminEraseContractor: { request: z.object({ contractor: adminUsername, confirm: adminUsername }).strict(), response: {} as EraseReport },
  // `satisfies` with excess-property checks: exactly the methods of ipc-channels.ts, no more.
} as const satisfies Record<IpcMethod, { request: z.ZodType; response: unknown }>;

export type IpcContract = typeof ipcContract;
export type IpcRequest<M extends IpcMethod> = z.infer<IpcContract[M]['request']>;
export type IpcResponse<M extends IpcMethod> = IpcContract[M]['response'];

/** What the renderer sees as `window.voicevault`: one async function per method, nothing else. */
export type VoiceVaultApi = {
  [M in IpcMethod]: undefined extends IpcRequest<M>
    ? (request?: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>
    : (request: IpcRequest<M>) => Promise<Result<IpcResponse<M>>>;
};

/** Main-process implementations, one per method. */
export type IpcHandlers = {
  [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResponse<M>>;
};
