// Errors are values with codes, so the UI and the CLI can say what went wrong in plain words
// and never show a stack trace to a contractor.

export const errorCodes = [
  // audio input
  'EmptyFile',
  'UnsupportedFormat',
  'CorruptAudio',
  'InvalidAudioParameters',
  'AudioTooLong',
  'NonFiniteSamples',
  'FileNotFound',
  // identity and AWS
  'WrongPassword',
  'WrongCode',
  'PasswordRejected',
  'UserNotFound',
  'UserDisabled',
  'CredentialsExpired',
  'SessionExpired',
  'SecretStoreUnavailable',
  'UntrustedDeployment',
  'TooManyAttempts',
  'NetworkUnavailable',
  'AccessDenied',
  'AlreadyExists',
  'Conflict',
  // sealing, outbox, upload, audit
  'QualityFailed',
  'KmsUnavailable',
  'IntegrityError',
  'ContextMismatch',
  'DiskFull',
  'UploadStalled',
  'NotFound',
  // configuration
  'InvalidPartition',
  'EmulatorUnavailable',
  'StateFileMissing',
  'InvalidArgument',
  'Internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class VoiceVaultError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VoiceVaultError';
    this.code = code;
  }
}

export function isVoiceVaultError(value: unknown): value is VoiceVaultError {
  return value instanceof VoiceVaultError;
}

/** The serialisable shape that crosses IPC and the test bridge. */
export interface ErrorResult {
  type: 'error';
  code: ErrorCode;
  message: string;
}

export function toErrorResult(error: unknown): ErrorResult {
  if (isVoiceVaultError(error)) return { type: 'error', code: error.code, message: error.message };
  return { type: 'error', code: 'Internal', message: 'Something went wrong inside VoiceVault. Please try again.' };
}
