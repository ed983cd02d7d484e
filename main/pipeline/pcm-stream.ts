// A take recorded in the window arrives as float32 mono chunks; this presents them to the analysis
// stage as an AudioStream, like a decoded file, without copying them into one buffer.
import type { AudioStream } from '../audio/audio-stream';

export function pcmChunksStream(chunks: readonly Float32Array[], sampleRate: number): AudioStream {
  const frames = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return {
    format: 'wav',
    sampleRate,
    channels: 1,
    declaredFrames: frames,
    async *chunks() {
      // The analysis keeps no reference to a chunk, so the take's own buffers can be handed on.
      for (const chunk of chunks) yield chunk;
    },
    close: async () => undefined,
  };
}

/** Overwrites audio buffers so no plaintext lingers in memory after sealing or discarding. */
export function wipe(buffers: Iterable<Float32Array | Uint8Array | undefined>): void {
  for (const buffer of buffers) buffer?.fill(0);
}
