// Turns AWS SDK and network failures into VoiceVault errors with plain-words messages.
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'TimeoutError', 'RequestTimeout']);

/** `doing` completes "Could not …", e.g. "sign in as ada". */
export function toVoiceVaultError(error: unknown, doing: string): VoiceVaultError {
  if (isVoiceVaultError(error)) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const cause = { cause: error };

  if (networkCodes.has(e.code ?? '') || networkCodes.has(name) || (name === 'TypeError' && /fetch failed/i.test(e.message ?? ''))) {
    return new VoiceVaultError('NetworkUnavailable', `Could not ${doing}: the network is unavailable. Your work is kept; try again when you are online.`, cause);
  }
  switch (name) {
    case 'NotAuthorizedException':
      // Outside a password check (sign-in maps its own in main/identity), Cognito says this when a
      // token has expired or was revoked: the contractor must sign in again, the password is fine.
      return new VoiceVaultError('SessionExpired', `Could not ${doing}: your session has ended. Please sign in again.`, cause);
    case 'UserNotFoundException':
      return new VoiceVaultError('UserNotFound', `Could not ${doing}: there is no such user.`, cause);
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'TokenRefreshRequired':
      return new VoiceVaultError('CredentialsExpired', `Could not ${doing}: your session has expired. Please sign in again.`, cause);
    case 'AccessDenied':
    case 'AccessDeniedException':
      return new VoiceVaultError('AccessDenied', `Could not ${doing}: access was denied.`, cause);
    case 'PreconditionFailed':
      return new VoiceVaultError('AlreadyExists', `Could not ${doing}: it already exists.`, cause);
    case 'ConditionalRequestConflict':
    case 'OperationAborted':
      return new VoiceVaultError('Conflict', `Could not ${doing}: another request on the same object was in progress.`, cause);
    case 'NoSuchUpload':
    case 'NoSuchKey':
    case 'NotFound':
      return new VoiceVaultError('NotFound', `Could not ${doing}: it is not there.`, cause);
    default:
      break;
  }
  if (status === 412) return new VoiceVaultError('AlreadyExists', `Could not ${doing}: it already exists.`, cause);
  if (status === 403) return new VoiceVaultError('AccessDenied', `Could not ${doing}: access was denied.`, cause);
  if (status === 409) return new VoiceVaultError('Conflict', `Could not ${doing}: another request on the same object was in progress.`, cause);
  if (status === 404) return new VoiceVaultError('NotFound', `Could not ${doing}: it is not there.`, cause);
  if (status !== undefined && status >= 500) {
    return new VoiceVaultError('Internal', `Could not ${doing}: the service had a problem (HTTP ${status}). Please try again.`, cause);
  }
  return new VoiceVaultError('Internal', `Could not ${doing}: ${e.message ?? 'unexpected error'}.`, cause);
}
