// Bounds on what an input may declare, so hostile headers fail fast instead of allocating or looping.

export interface DecodeLimits {
  /** Longest accepted audio, in seconds. */
  maxSeconds: number;
  /** A decoder running in a worker that makes no progress for this long is stopped (hostile input). */
  decoderStallMs?: number;
}

export const defaultDecodeLimits: DecodeLimits = { maxSeconds: 4 * 60 * 60, decoderStallMs: 10_000 };

export const minSampleRate = 1000;
export const maxSampleRate = 768_000;
export const maxChannels = 255;
