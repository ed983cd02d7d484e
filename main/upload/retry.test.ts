// How failures are sorted and how long the uploader waits. The errors are shaped like the SDK's
// (name, $metadata.httpStatusCode, Node's code); the fault tests meet the real ones through moto.
import { describe, expect, it } from 'vitest';
import { VoiceVaultError } from '../../shared/errors';
import { backoffDelay, classifyFailure } from './retry';

function sdkError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

function socketError(code: string): Error {
  return Object.assign(new Error('socket hang up'), { code });
}

describe('sorting upload failures', () => {
  it.each([
    [sdkError('ExpiredToken', 400), 'credentials', 'CredentialsExpired'],
    [sdkError('InvalidToken', 400), 'credentials', 'CredentialsExpired'],
    [sdkError('PreconditionFailed', 412), 'precondition', 'AlreadyExists'],
    [sdkError('ConditionalRequestConflict', 409), 'retry', 'Conflict'],
    [sdkError('InternalError', 500), 'retry', 'Internal'],
    [sdkError('SlowDown', 503), 'retry', 'Internal'],
    [sdkError('RequestTimeout', 400), 'retry', 'NetworkUnavailable'],
    [socketError('ECONNRESET'), 'retry', 'NetworkUnavailable'],
    [socketError('ECONNREFUSED'), 'retry', 'NetworkUnavailable'],
    [socketError('EPIPE'), 'retry', 'NetworkUnavailable'],
    [sdkError('AccessDenied', 403), 'fatal', 'AccessDenied'],
    [sdkError('InvalidRequest', 400), 'fatal', 'Internal'],
    [new VoiceVaultError('UploadStalled', 'stalled'), 'retry', 'UploadStalled'],
  ])('%s is %s (%s)', (error, kind, code) => {
    const failure = classifyFailure(error, 'upload a sample');
    expect(failure.kind).toBe(kind);
    expect(failure.error.code).toBe(code);
    expect(failure.error.message).toMatch(/^Could not upload a sample|^stalled$/);
  });
});

describe('backoff between attempts', () => {
  const options = { baseMs: 250, capMs: 20_000 };

  it('draws the wait uniformly below a ceiling that doubles per attempt up to the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => backoffDelay(attempt, { ...options, random: () => 0.999999 }));
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 15_999, 19_999, 19_999]);
    expect(backoffDelay(4, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(4, { ...options, random: () => 0.5 })).toBe(1000);
  });

  it('spreads many clients retrying at once over the whole window (full jitter)', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelay(3, { ...options, random: Math.random }));
    expect(Math.min(...delays)).toBeLessThan(100);
    expect(Math.max(...delays)).toBeGreaterThan(900);
    expect(delays.every((d) => d >= 0 && d < 1000)).toBe(true);
  });
});
