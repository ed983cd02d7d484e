// The recorder's timing, free of Web Audio so it can be tested: it keeps the last 300 ms of the
// live microphone (the pre-roll), and once a take starts, hands on the pre-roll and every chunk
// until 300 ms after stop (the post-roll). Chunks go out in order through `send`.
import { holdAudio, releaseAudio } from './held-audio';

export const keepSeconds = 0.3;

type Phase = 'idle' | 'recording' | 'stopping';

export class TakeRecorder {
  private readonly keepFrames: number;
  private preRoll: Float32Array[] = [];
  private preRollFrames = 0;
  private phase: Phase = 'idle';
  private postRollLeft = 0;
  private take: Float32Array[] = [];
  private onStopped: ((take: Float32Array[]) => void) | undefined;

  constructor(
    readonly sampleRate: number,
    private readonly send: (chunk: Float32Array) => void,
  ) {
    this.keepFrames = Math.round(keepSeconds * sampleRate);
  }

  get recording(): boolean {
    return this.phase !== 'idle';
  }

  /** Feed every chunk the microphone delivers, recording or not. */
  push(chunk: Float32Array): void {
    if (this.phase === 'idle') {
      this.keepInPreRoll(chunk);
      return;
    }
    if (this.phase === 'stopping') {
      const part = chunk.length <= this.postRollLeft ? chunk : chunk.subarray(0, this.postRollLeft);
      this.postRollLeft -= part.length;
      this.emit(holdAudio(part.length === chunk.length ? chunk : part.slice()));
      if (this.postRollLeft === 0) this.finish();
      return;
    }
    this.emit(holdAudio(chunk));
  }

  /** Starts a take: the last 300 ms before this call are its beginning. */
  start(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'recording';
    this.take = [];
    const frames = this.preRollFrames;
    if (frames > 0) {
      const joined = holdAudio(new Float32Array(frames));
      let offset = 0;
      for (const chunk of this.preRoll) {
        joined.set(chunk, offset);
        offset += chunk.length;
      }
      releaseAudio(this.preRoll);
      this.preRoll = [];
      this.preRollFrames = 0;
      this.emit(joined);
    }
  }

  /** Stops after 300 more milliseconds; resolves with every chunk of the take. */
  stop(): Promise<Float32Array[]> {
    if (this.phase !== 'recording') return Promise.resolve(this.take);
    this.phase = 'stopping';
    this.postRollLeft = this.keepFrames;
    return new Promise((resolve) => (this.onStopped = resolve));
  }

  /** Drops the pre-roll (sign-out, screen change). */
  dispose(): void {
    releaseAudio(this.preRoll);
    this.preRoll = [];
    this.preRollFrames = 0;
  }

  private emit(chunk: Float32Array): void {
    this.take.push(chunk);
    this.send(chunk);
  }

  private finish(): void {
    this.phase = 'idle';
    const take = this.take;
    this.take = [];
    this.onStopped?.(take);
    this.onStopped = undefined;
  }

  private keepInPreRoll(chunk: Float32Array): void {
    const copy = holdAudio(chunk.slice());
    this.preRoll.push(copy);
    this.preRollFrames += copy.length;
    // Keep just enough whole-or-partial chunks to cover 300 ms.
    while (this.preRoll.length > 0 && this.preRollFrames - this.preRoll[0]!.length >= this.keepFrames) {
      const dropped = this.preRoll.shift()!;
      this.preRollFrames -= dropped.length;
      releaseAudio([dropped]);
    }
    if (this.preRollFrames > this.keepFrames) {
      const excess = this.preRollFrames - this.keepFrames;
      const first = this.preRoll[0]!;
      this.preRoll[0] = holdAudio(first.slice(excess));
      releaseAudio([first]);
      this.preRollFrames -= excess;
    }
  }
}
