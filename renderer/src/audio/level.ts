// Live level analysis for the meter and the clipping light, on the chunks the capture worklet
// posts. RMS comes from meyda (the design card's library for live analysis) with a rectangular
// window: meyda computes `rms` on the windowed frame, and a Hann window would read about 4 dB low.
// Peak and clipping are a plain scan (meyda has no peak descriptor).
import Meyda from 'meyda';

/** |x| at or above this is a clipped sample (the quality report uses the same threshold). */
export const clipThreshold = 0.999;
/** The meter's floor: anything quieter reads as silence. */
export const floorDbfs = -90;

export interface Level {
  rmsDbfs: number;
  peakDbfs: number;
  clippedSamples: number;
}

export function toDbfs(amplitude: number): number {
  return amplitude > 0 ? Math.max(floorDbfs, 20 * Math.log10(amplitude)) : floorDbfs;
}

/** `chunk` must have a power-of-two length (the worklet posts 4096 frames). */
export function measureLevel(chunk: Float32Array): Level {
  Meyda.bufferSize = chunk.length;
  Meyda.windowingFunction = 'rect';
  const rms = Meyda.extract('rms', chunk) as unknown as number;
  let peak = 0;
  let clippedSamples = 0;
  for (const sample of chunk) {
    const magnitude = Math.abs(sample);
    if (magnitude > peak) peak = magnitude;
    if (magnitude >= clipThreshold) clippedSamples++;
  }
  return { rmsDbfs: toDbfs(rms), peakDbfs: toDbfs(peak), clippedSamples };
}
