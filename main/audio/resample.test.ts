// The resampler is band-limited (no aliasing), keeps the pass band, and never touches its input.
import { describe, expect, it } from 'vitest';
import { Resampler, resample } from './resample';

function tone(frequency: number, sampleRate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}

/** RMS of the middle of a signal, away from the edges where the filter meets the zero padding. */
function middleRms(signal: Float32Array): number {
  const from = Math.floor(signal.length * 0.2);
  const to = Math.floor(signal.length * 0.8);
  let sum = 0;
  for (let i = from; i < to; i++) sum += signal[i]! ** 2;
  return Math.sqrt(sum / (to - from));
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('Resampler', () => {
  it('drops a 10 kHz tone resampled 48 → 16 kHz by at least 90 dB (no alias at 6 kHz)', () => {
    const input = tone(10000, 48000, 1);
    const output = resample(input, 48000, 16000);
    expect(db(middleRms(output) / middleRms(input))).toBeLessThanOrEqual(-90);
  });

  it('rejects everything between the new Nyquist and the old one, 44.1 → 16 kHz', () => {
    for (const frequency of [8000, 9000, 15000, 21000]) {
      const input = tone(frequency, 44100, 0.5);
      expect(db(middleRms(resample(input, 44100, 16000)) / middleRms(input))).toBeLessThanOrEqual(-90);
    }
  });

  it('keeps tones in the pass band within 0.01 dB (48 → 16, 22.05 → 16, 16 → 48 kHz)', () => {
    for (const [from, to, frequency] of [
      [48000, 16000, 1000],
      [48000, 16000, 7000],
      [22050, 16000, 3000],
      [16000, 48000, 5000],
    ] as const) {
      const input = tone(frequency, from, 0.5);
      expect(Math.abs(db(middleRms(resample(input, from, to)) / middleRms(input)))).toBeLessThan(0.01);
    }
  });

  it('keeps the phase: a resampled tone lines up with the same tone sampled at the new rate', () => {
    const output = resample(tone(440, 48000, 0.5), 48000, 16000);
    const expected = tone(440, 16000, 0.5);
    for (let i = 2000; i < 6000; i++) expect(output[i]).toBeCloseTo(expected[i]!, 3);
  });

  it('produces ceil(n · out / in) samples', () => {
    for (const n of [0, 1, 2, 3, 100, 4801]) expect(resample(new Float32Array(n), 48000, 16000)).toHaveLength(Math.ceil(n / 3));
    expect(resample(new Float32Array(441), 22050, 16000)).toHaveLength(320);
  });

  it('never mutates the caller’s buffer, and copies when the rates are equal', () => {
    const input = tone(1000, 48000, 0.1);
    const copy = input.slice();
    resample(input, 48000, 16000);
    expect(input).toEqual(copy);
    const same = resample(input, 48000, 48000);
    expect(same).toEqual(input);
    expect(same).not.toBe(input);
  });

  it('gives the same output whether the input arrives whole or in chunks', () => {
    const input = tone(1234, 22050, 0.7);
    const whole = resample(input, 22050, 16000);
    const resampler = new Resampler(22050, 16000);
    const parts: number[] = [];
    for (let at = 0, size = 1; at < input.length; at += size, size = (size * 5 + 1) % 3000) parts.push(...resampler.process(input.subarray(at, at + size)));
    parts.push(...resampler.flush());
    expect(parts).toHaveLength(whole.length);
    for (let i = 0; i < whole.length; i++) expect(parts[i]).toBeCloseTo(whole[i]!, 6);
  });

  it('handles rates whose ratio needs many phases (44101 → 16000)', () => {
    const input = tone(1000, 44101, 0.05);
    const output = resample(input, 44101, 16000);
    expect(output).toHaveLength(Math.ceil((input.length * 16000) / 44101));
    expect(Math.abs(db(middleRms(output) / middleRms(input)))).toBeLessThan(0.05);
  });
});
