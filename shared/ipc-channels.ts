// The contract's method names and channels, free of schema code so the sandboxed preload stays tiny.
// shared/ipc-contract.ts must define exactly these methods (checked at compile time).
export const ipcMethods = [
  'getAppInfo',
  // sign-in lifetime
  'signIn',
  'completeNewPassword',
  'verifyMfaSetup',
  'submitMfaCode',
  'forgotPassword',
  'confirmForgotPassword',
  'getSession',
  'signOut',
  // partition, consent
  'getPartition',
  'acceptConsent',
  'getPromptProgress',
  // recording and import
  'checkMicrophone',
  'beginTake',
  'appendTakeAudio',
  'finishTake',
  'submitTake',
  'discardTake',
  'skipPrompt',
  'importAudio',
  // outbox and history
  'listOutbox',
  'retryUpload',
  // consent withdrawal (the contractor asks; admins act on it with erase)
  'requestWithdrawal',
  // admin (main refuses these to anyone outside the admins group)
  'adminListPartitions',
  'adminGetPartition',
  'adminCreatePartition',
  'adminSavePartition',
  'adminParsePrompts',
  'adminListUsers',
  'adminAssignPartition',
  'adminUnassignPartition',
  'adminGetLifecycle',
  'adminApplyLifecycle',
  'adminGetAlarms',
  'adminListWithdrawalRequests',
  'adminAccessReview',
  'adminRevokeContractor',
  'adminEraseContractor',
] as const;
export type IpcMethod = (typeof ipcMethods)[number];

/** One namespace, so the allow-list is the contract itself. */
export function ipcChannel(method: IpcMethod): string {
  return `voicevault:${method}`;
}

export function isIpcMethod(value: unknown): value is IpcMethod {
  return typeof value === 'string' && (ipcMethods as readonly string[]).includes(value);
}
