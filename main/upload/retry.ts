// Which upload failures are worth another try, and how long to wait before it.
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import { toVoiceVaultError } from '../aws/errors';

export type FailureKind =
  /** Transient: the network, a stall, a server error, a conflicting request. Try again after a pause. */
  | 'retry'
  /** The credentials expired: refresh them and try again at once. */
  | 'credentials'
  /** S3 already holds an object at this key (412). */
  | 'precondition'
  /** Another try would fail the same way. */
  | 'fatal';

export interface Failure {
  kind: FailureKind;
  error: VoiceVaultError;
}

const credentialErrorNames = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'InvalidToken', 'RequestExpired']);
const transientErrorNames = new Set(['InternalError', 'ServiceUnavailable', 'SlowDown', 'RequestTimeout', 'Throttling', 'ThrottlingException']);

export function classifyFailure(raw: unknown, doing: string): Failure {
  const shape = (raw ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const name = isVoiceVaultError(raw) ? '' : (shape.name ?? '');
  const status = shape.$metadata?.httpStatusCode;
  if (credentialErrorNames.has(name)) {
    return { kind: 'credentials', error: new VoiceVaultError('CredentialsExpired', `Could not ${doing}: the upload credentials expired.`, { cause: raw }) };
  }
  const error = toVoiceVaultError(raw, doing);
  switch (error.code) {
    case 'CredentialsExpired':
      return { kind: 'credentials', error };
    case 'AlreadyExists':
      return { kind: 'precondition', error };
    case 'NetworkUnavailable':
    case 'UploadStalled':
    case 'Conflict':
      return { kind: 'retry', error };
    default:
      break;
  }
  if (transientErrorNames.has(name) || (status !== undefined && status >= 500)) return { kind: 'retry', error };
  return { kind: 'fatal', error };
}

/**
 * Exponential backoff with full jitter: a uniformly random wait between 0 and
 * min(cap, base · 2^(attempt-1)), so that many clients retrying at once spread out.
 */
export function backoffDelay(attempt: number, options: { baseMs: number; capMs: number; random: () => number }): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(options.random() * ceiling);
}
