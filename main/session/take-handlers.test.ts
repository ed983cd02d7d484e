// The recording window's contract handlers through dispatchIpc (as the preload and the test bridge
// call them), against a real moto server: a take from chunks to receipt, its wiping, imports, consent,
// the mic check and prompt progress.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutboxItemView, SessionSummary, TakeReview } from '../../shared/domain';
import { decodeAudioFile } from '../audio';
import { useTestEmulator } from '../emulator/test-emulator';
import { referenceClip } from '../pipeline/testing';
import { MemorySecretStore } from '../secrets';
import { SessionContext } from './context';
import { dispatchIpc } from './dispatch';
import { createSessionHandlers } from './index';

const emulator = useTestEmulator();

async function signedInApp() {
  const context = new SessionContext({
    deployment: emulator().deployment,
    appVersion: '0.0.0-test',
    secretStore: new MemorySecretStore(),
    dataDir: await mkdtemp(join(tmpdir(), 'vv-takes-')),
  });
  const handlers = createSessionHandlers(context);
  const call = async <T>(method: string, payload?: unknown): Promise<T> => {
    const result = await dispatchIpc(handlers, method, payload);
    if (result.type !== 'success') throw Object.assign(new Error(result.message), { code: result.code });
    return result.value as T;
  };
  const password = emulator().deployment.demoUsers.find((u) => u.username === 'ada')!.password;
  await call('signIn', { username: 'ada', password });
  return { context, handlers, call, raw: (method: string, payload?: unknown) => dispatchIpc(handlers, method, payload) };
}

/** The take's PCM in ~100 ms chunks, as the capture worklet posts them. */
async function chunksOf(clip: string): Promise<{ rate: number; chunks: ArrayBuffer[] }> {
  const audio = await decodeAudioFile(referenceClip(clip));
  const step = Math.round(audio.sampleRate / 10);
  const chunks: ArrayBuffer[] = [];
  for (let at = 0; at < audio.samples.length; at += step) chunks.push(audio.samples.slice(at, at + step).buffer);
  return { rate: audio.sampleRate, chunks };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('recording a take through the contract', () => {
  it('takes chunks, reviews the take, refuses to submit before consent, then seals, uploads and gives a receipt', async () => {
    const app = await signedInApp();
    const { rate, chunks } = await chunksOf('speech_en_16k.wav');
    const { sample } = await app.call<{ sample: string }>('beginTake', { promptId: 'p1', sampleRate: rate });
    for (const pcm of chunks) await app.call('appendTakeAudio', { sample, pcm });
    const review = await app.call<TakeReview>('finishTake', { sample });
    expect(review).toMatchObject({ sample, promptId: 'p1', verdict: { pass: true, reasons: [] }, melPreview: { bands: 40 } });
    expect(review.quality.durationSeconds).toBeCloseTo(7.06, 1);
    expect(review.melPreview.values.length).toBe(review.melPreview.frames * 40);

    expect(await app.raw('submitTake', { sample })).toMatchObject({ type: 'error', code: 'AccessDenied', message: expect.stringContaining('consent') });
    expect(await app.raw('acceptConsent', { version: 'an-old-version' })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
    expect(await app.call<SessionSummary>('acceptConsent', { version: '2026-11-01' })).toMatchObject({ username: 'ada', consentAccepted: '2026-11-01' });
    expect(await app.call<SessionSummary | null>('getSession')).toMatchObject({ consentAccepted: '2026-11-01' });

    const queued = await app.call<OutboxItemView>('submitTake', { sample });
    expect(queued).toMatchObject({ sample, promptId: 'p1' });
    const items = await until(
      () => app.call<OutboxItemView[]>('listOutbox'),
      (list) => list.some((i) => i.sample === sample && i.state === 'uploaded'),
    );
    const item = items.find((i) => i.sample === sample)!;
    expect(item).toMatchObject({ state: 'uploaded', progress: 100 });
    expect(item.receipt!.objects.map((o) => o.key.split('/')[0]).sort()).toEqual(['features', 'manifests']);
    expect(await app.call('getPromptProgress')).toEqual({ recorded: ['p1'], skipped: [] });
    // The take is gone from memory once submitted.
    expect(await app.raw('finishTake', { sample })).toMatchObject({ type: 'error', code: 'NotFound' });
    await app.call('signOut');
  });

  it('says why a quiet take fails and will not submit it', async () => {
    const app = await signedInApp();
    await app.call('acceptConsent', { version: '2026-11-01' });
    const { rate, chunks } = await chunksOf('speech_en_16k.wav');
    const quiet = chunks.map((c) => new Float32Array(c).map((s) => s * 0.005).buffer);
    const { sample } = await app.call<{ sample: string }>('beginTake', { promptId: 'p2', sampleRate: rate });
    for (const pcm of quiet) await app.call('appendTakeAudio', { sample, pcm });
    const review = await app.call<TakeReview>('finishTake', { sample });
    expect(review.verdict.pass).toBe(false);
    expect(review.verdict.reasons).toContainEqual(expect.stringMatching(/^too quiet: speech at .* dBFS, need ≥ −30 — speak up or move closer$/));
    expect(await app.raw('submitTake', { sample })).toMatchObject({ type: 'error', code: 'QualityFailed' });
    expect(await app.call('discardTake', { sample })).toEqual({ discarded: true });
    expect(await app.call('listOutbox')).toEqual([]);
  });

  it('wipes the audio it holds when the contractor signs out', async () => {
    const app = await signedInApp();
    const { rate, chunks } = await chunksOf('speech_en_16k.wav');
    const { sample } = await app.call<{ sample: string }>('beginTake', { promptId: 'p1', sampleRate: rate });
    // In-process, the handler holds the very buffers it was given (over IPC they are the message's own copies),
    // so views of them show what it holds.
    const held = chunks.slice(0, 5).map((pcm) => new Float32Array(pcm));
    for (const pcm of chunks.slice(0, 5)) await app.call('appendTakeAudio', { sample, pcm });
    expect(held.some((chunk) => chunk.some((s) => s !== 0))).toBe(true);
    await app.call('signOut');
    expect(held.every((chunk) => chunk.every((s) => s === 0))).toBe(true);
    expect(await app.raw('finishTake', { sample })).toMatchObject({ type: 'error', code: 'SessionExpired' });
  });

  it('imports a good file and rejects a corrupt one with a reason, per file', async () => {
    const app = await signedInApp();
    await app.call('acceptConsent', { version: '2026-11-01' });
    const good = await readFile(referenceClip('speech_de_22k.wav'));
    const accepted = await app.call<{ accepted: boolean; sample: string }>('importAudio', { name: 'good.wav', bytes: good.buffer.slice(good.byteOffset, good.byteOffset + good.byteLength) });
    expect(accepted).toMatchObject({ name: 'good.wav', accepted: true, reasons: [] });
    const corrupt = new TextEncoder().encode('RIFF....WAVEfmt this is not audio').buffer;
    expect(await app.call('importAudio', { name: 'corrupt.wav', bytes: corrupt })).toMatchObject({ name: 'corrupt.wav', accepted: false, reasons: [expect.any(String)] });
    const items = await until(
      () => app.call<OutboxItemView[]>('listOutbox'),
      (list) => list.some((i) => i.sample === accepted.sample && i.state === 'uploaded'),
    );
    expect(items.map((i) => i.source)).toEqual(['good.wav']);
  });

  it('gives plain advice from the microphone check, and records skipped prompts with their reason', async () => {
    const app = await signedInApp();
    const silence = new Float32Array(48_000 * 5).buffer;
    const report = await app.call<{ ok: boolean; advice: string[] }>('checkMicrophone', { sampleRate: 48_000, pcm: silence });
    expect(report.ok).toBe(false);
    expect(report.advice).toContainEqual(expect.stringMatching(/hears almost nothing/));
    const lowRate = await app.call<{ advice: string[] }>('checkMicrophone', { sampleRate: 8_000, pcm: new Float32Array(8_000).map((_, i) => 0.1 * Math.sin(i)).buffer });
    expect(lowRate.advice).toContainEqual(expect.stringMatching(/records at 8000 Hz; this partition needs at least 16000 Hz/));
    expect(await app.call('skipPrompt', { promptId: 'p3', reason: 'The sentence has a typo.' })).toEqual({ skipped: true });
    expect(await app.call('getPromptProgress')).toEqual({ recorded: [], skipped: ['p3'] });
    expect(await app.raw('skipPrompt', { promptId: 'nope', reason: 'x' })).toMatchObject({ type: 'error', code: 'InvalidArgument' });
  });
});
