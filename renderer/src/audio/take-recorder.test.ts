import { describe, expect, it } from 'vitest';
import { heldAudioCount, wipeHeldAudio } from './held-audio';
import { TakeRecorder } from './take-recorder';

/** Chunks whose samples count frames from 1, so every frame of a take can be traced. */
function counter(chunkFrames: number) {
  let next = 1;
  return () => Float32Array.from({ length: chunkFrames }, () => next++);
}

describe('the take recorder', () => {
  it('keeps the 300 ms before record and the 300 ms after stop, in order', async () => {
    const sent: number[] = [];
    const recorder = new TakeRecorder(1000, (chunk) => sent.push(...chunk)); // 1 kHz: 300 frames = 300 ms
    const chunk = counter(128);
    for (let i = 0; i < 10; i++) recorder.push(chunk()); // frames 1…1280 before the press
    recorder.start();
    for (let i = 0; i < 5; i++) recorder.push(chunk()); // 1281…1920 while recording
    const stopped = recorder.stop();
    for (let i = 0; i < 4; i++) recorder.push(chunk()); // 1921…2432 arrive after stop
    const take = await stopped;
    expect(sent[0]).toBe(1280 - 300 + 1); // exactly 300 frames of pre-roll
    expect(sent.at(-1)).toBe(1920 + 300); // exactly 300 frames of post-roll
    expect(sent).toEqual(Array.from({ length: 300 + 640 + 300 }, (_, i) => 981 + i));
    expect(take.flatMap((c) => [...c])).toEqual(sent);
    expect(recorder.recording).toBe(false);
  });

  it('starts with what it has when less than 300 ms came before the press', async () => {
    const sent: number[] = [];
    const recorder = new TakeRecorder(1000, (chunk) => sent.push(...chunk));
    const chunk = counter(100);
    recorder.push(chunk());
    recorder.start();
    const stopped = recorder.stop();
    recorder.push(chunk());
    recorder.push(chunk());
    recorder.push(chunk());
    await stopped;
    expect(sent).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('holds every buffer so sign-out can zero them', async () => {
    wipeHeldAudio();
    const recorder = new TakeRecorder(1000, () => undefined);
    const chunk = counter(256);
    recorder.push(chunk());
    recorder.push(chunk());
    recorder.start();
    recorder.push(chunk());
    const stopped = recorder.stop();
    recorder.push(chunk());
    recorder.push(chunk()); // 512 frames after stop cover the 300 ms post-roll
    const take = await stopped;
    expect(heldAudioCount()).toBeGreaterThanOrEqual(take.length);
    expect(wipeHeldAudio()).toBeGreaterThanOrEqual(take.length);
    expect(heldAudioCount()).toBe(0);
    for (const buffer of take) expect(buffer.every((x) => x === 0)).toBe(true);
  });
});
