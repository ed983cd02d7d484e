import { describe, expect, it } from 'vitest';
import { clipThreshold, measureLevel, toDbfs } from './level';

function sine(amplitude: number, frames = 4096, cyclesPerChunk = 64): Float32Array {
  return Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * cyclesPerChunk * i) / frames));
}

describe('live level (meyda rms, rectangular window)', () => {
  it('reads a full-scale sine at -3.01 dBFS RMS and 0 dBFS peak', () => {
    const level = measureLevel(sine(1));
    // RMS of a sine is A/√2: 20·log10(1/√2) = -3.0103 dB.
    expect(level.rmsDbfs).toBeCloseTo(-3.0103, 3);
    expect(level.peakDbfs).toBeCloseTo(0, 3);
  });

  it('reads a 0.1 sine at -23.01 dBFS, independent of the meyda buffer size used before', () => {
    measureLevel(sine(0.5, 512, 8));
    expect(measureLevel(sine(0.1)).rmsDbfs).toBeCloseTo(-23.0103, 3);
  });

  it('counts clipped samples at |x| ≥ 0.999 and none below', () => {
    const chunk = sine(0.5);
    chunk[10] = 1;
    chunk[20] = -clipThreshold;
    chunk[30] = 0.998;
    expect(measureLevel(chunk).clippedSamples).toBe(2);
    expect(measureLevel(sine(0.9)).clippedSamples).toBe(0);
  });

  it('puts silence at the meter floor rather than -Infinity', () => {
    expect(measureLevel(new Float32Array(4096)).rmsDbfs).toBe(-90);
    expect(toDbfs(0)).toBe(-90);
  });
});
