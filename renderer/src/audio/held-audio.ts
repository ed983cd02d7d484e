// Every buffer of recorded audio the renderer holds (takes waiting for review, the pre-roll, the
// mic check) is registered here, so signing out or discarding can overwrite it with zeros instead
// of leaving voice in memory for the garbage collector.
const held = new Set<Float32Array>();

export function holdAudio(buffer: Float32Array): Float32Array {
  held.add(buffer);
  return buffer;
}

export function releaseAudio(buffers: Iterable<Float32Array>): void {
  for (const buffer of buffers) {
    buffer.fill(0);
    held.delete(buffer);
  }
}

/** Zeroes and forgets everything (sign-out). Returns how many buffers were wiped. */
export function wipeHeldAudio(): number {
  const count = held.size;
  releaseAudio([...held]);
  return count;
}

export function heldAudioCount(): number {
  return held.size;
}
