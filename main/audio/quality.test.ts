// The quality report follows its definitions (20 ms frames, noise floor, SNR, silence; see quality.ts), and its check explains failures in plain words.
import { describe, expect, it } from 'vitest';
import { defaultRequirements } from '../../shared/partition';
import { QualityAnalyzer, analyseQuality, checkQuality, percentile } from './quality';

const rate = 16000;
const frame = 320; // 20 ms

/** `frames` 20 ms frames: a sine of `amplitude` in frames where `speech(i)` holds, else a quieter sine. */
function take(frames: number, speech: (i: number) => boolean, amplitude = 0.5, floor = 0.001): Float32Array {
  const out = new Float32Array(frames * frame);
  for (let i = 0; i < out.length; i++) {
    const a = speech(Math.floor(i / frame)) ? amplitude : floor;
    out[i] = a * Math.sin((2 * Math.PI * 500 * i) / rate);
  }
  return out;
}

describe('quality report', () => {
  it('measures peak and RMS in dBFS', () => {
    const report = analyseQuality(take(100, () => true, 0.5), rate);
    expect(report.peakDbfs).toBeCloseTo(20 * Math.log10(0.5), 2);
    expect(report.rmsDbfs).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 2);
    expect(report.durationSeconds).toBe(2);
    expect(report.frameCount).toBe(100);
  });

  it('counts samples with |x| ≥ 0.999 as clipped', () => {
    const samples = new Float32Array(1000);
    samples.fill(0.999, 0, 10);
    samples.fill(-1, 10, 15);
    samples.fill(0.998, 15, 100);
    expect(analyseQuality(samples, rate).clippedPct).toBeCloseTo(1.5, 10);
  });

  it('takes the noise floor as the 10th-percentile frame RMS, speech as frames ≥ 10 dB above it, SNR from the 90th percentile', () => {
    // 30 % quiet frames (−63 dBFS RMS), 70 % speech frames (−9 dBFS RMS).
    const report = analyseQuality(take(100, (i) => i % 10 >= 3), rate);
    const quietDb = 20 * Math.log10(0.001 / Math.SQRT2);
    const loudDb = 20 * Math.log10(0.5 / Math.SQRT2);
    expect(report.noiseFloorDbfs).toBeCloseTo(quietDb, 1);
    expect(report.speechDbfs).toBeCloseTo(loudDb, 1);
    expect(report.snrDb).toBeCloseTo(loudDb - quietDb, 1);
    expect(report.speechRatio).toBeCloseTo(0.7, 10);
    expect(report.silencePct).toBeCloseTo(30, 10);
  });

  it('treats digital silence as −120 dBFS, never −Infinity', () => {
    const report = analyseQuality(new Float32Array(16000), rate);
    expect(report.peakDbfs).toBe(-120);
    expect(report.noiseFloorDbfs).toBe(-120);
    expect(report.speechRatio).toBe(0);
    expect(report.silencePct).toBe(100);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('is the same whether samples arrive whole or in chunks', () => {
    const samples = take(77, (i) => i % 3 === 0);
    const analyzer = new QualityAnalyzer(rate);
    for (let at = 0; at < samples.length; at += 999) analyzer.push(samples.subarray(at, at + 999));
    expect(analyzer.finish()).toEqual(analyseQuality(samples, rate));
  });

  it('uses numpy’s linear-interpolation percentile', () => {
    expect(percentile([1, 2, 3, 4], 10)).toBeCloseTo(1.3, 12);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
});

describe('quality check against a partition’s requirements', () => {
  it('passes a clean, loud-enough take', () => {
    const check = checkQuality(analyseQuality(take(150, (i) => i % 10 >= 2, 0.3), rate), defaultRequirements);
    expect(check).toEqual({ pass: true, reasons: [] });
  });

  it('says a quiet take is too quiet, with the measured level and the requirement', () => {
    const check = checkQuality(analyseQuality(take(150, (i) => i % 10 >= 2, 0.0112, 0.00001), rate), defaultRequirements);
    expect(check.pass).toBe(false);
    expect(check.reasons).toEqual([expect.stringMatching(/^too quiet: speech at −42(\.\d)? dBFS, need ≥ −30/)]);
  });

  it('names every failed requirement: short, clipped, silent, low sample rate', () => {
    const samples = new Float32Array(8000 * 0.5);
    samples.fill(1, 0, 100);
    const report = analyseQuality(samples, 8000);
    const check = checkQuality(report, defaultRequirements, 8000);
    expect(check.pass).toBe(false);
    const text = check.reasons.join('\n');
    expect(text).toMatch(/sample rate too low: recorded at 8000 Hz, need at least 16000 Hz/);
    expect(text).toMatch(/too short: 0\.5 s, need at least 1 s/);
    expect(text).toMatch(/clipping: 2\.5% of samples/);
    expect(text).toMatch(/too much silence/);
  });

  it('says a take is too noisy when speech stands only 14 dB above the background', () => {
    const check = checkQuality(analyseQuality(take(150, (i) => i % 10 >= 3, 0.5, 0.1), rate), defaultRequirements);
    expect(check.reasons).toEqual([expect.stringMatching(/^too noisy: speech is 14 dB above the background, need ≥ 15 dB/)]);
  });

  it('says a take is too long', () => {
    const report = { ...analyseQuality(take(50, (i) => i % 10 >= 2, 0.3), rate), durationSeconds: 31 };
    expect(checkQuality(report, defaultRequirements).reasons).toEqual(['too long: 31 s, at most 30 s']);
  });
});
