// The resampler is band-limited (no aliasing), keeps the pass band flat, and never touches its input, with
// each of its three kernels: fast convolution (integer decimation, what 48 → 16 kHz uses), the WebAssembly
// SIMD polyphase stages (other ratios) and the plain JavaScript reference.
import { describe, expect, it } from 'vitest';
import { Resampler, resample, type ResamplerOptions } from './resample';

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

/** Amplitude of the `frequency` component in the middle of `signal`, by least squares on sin and cos. */
function amplitude(signal: Float32Array, frequency: number, sampleRate: number): number {
  const from = Math.floor(signal.length * 0.2);
  const to = Math.floor(signal.length * 0.8);
  let ss = 0;
  let sc = 0;
  let cc = 0;
  let ys = 0;
  let yc = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin((2 * Math.PI * frequency * i) / sampleRate);
    const c = Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    ss += s * s;
    sc += s * c;
    cc += c * c;
    ys += signal[i]! * s;
    yc += signal[i]! * c;
  }
  const det = ss * cc - sc * sc;
  return Math.hypot((ys * cc - yc * sc) / det, (yc * ss - ys * sc) / det);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

type Kernel = NonNullable<ResamplerOptions['kernel']>;

async function convert(input: Float32Array, from: number, to: number, kernel: Kernel): Promise<Float32Array> {
  const resampler = kernel === 'fft' ? await Resampler.create(from, to, { kernel }) : new Resampler(from, to, { kernel });
  const head = resampler.process(input);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

const kernels: Kernel[] = ['fft', 'simd', 'scalar'];

describe('Resampler', () => {
  it('uses fast convolution for 48 → 16 kHz and SIMD polyphase stages (48 → 24 → 16 kHz) without it', async () => {
    const fast = await Resampler.create(48000, 16000);
    expect(fast.rates).toEqual([48000, 16000]);
    expect(fast.simd).toBe(true);
    expect(new Resampler(48000, 16000).rates).toEqual([48000, 24000, 16000]);
    expect(new Resampler(44100, 16000).rates).toEqual([44100, 22050, 16000]);
    expect(new Resampler(44100, 16000).simd).toBe(true);
    expect(new Resampler(44100, 16000, { kernel: 'scalar' }).simd).toBe(false);
  });

  for (const kernel of kernels) {
    it(`${kernel}: attenuates every tone from 8 kHz to 24 kHz by at least 100 dB, 48 → 16 kHz`, async () => {
      let worst = -Infinity;
      for (let frequency = 8000; frequency < 24000; frequency += 251) {
        const input = tone(frequency, 48000, 0.4);
        worst = Math.max(worst, db(middleRms(await convert(input, 48000, 16000, kernel)) / middleRms(input)));
      }
      expect(worst).toBeLessThanOrEqual(-100);
    });

    it(`${kernel}: keeps the pass band, 0 to 7.2 kHz, flat within ±0.001 dB, 48 → 16 kHz`, async () => {
      let worst = 0;
      for (let frequency = 40; frequency <= 7200; frequency += 173) {
        const output = await convert(tone(frequency, 48000, 0.4), 48000, 16000, kernel);
        worst = Math.max(worst, Math.abs(db(amplitude(output, frequency, 16000) / 0.5)));
      }
      expect(worst).toBeLessThan(0.001);
    });
  }

  it('rejects everything between the new Nyquist and the old one, 44.1 → 16 kHz', () => {
    for (const frequency of [8000, 9000, 15000, 21000]) {
      const input = tone(frequency, 44100, 0.5);
      expect(db(middleRms(resample(input, 44100, 16000)) / middleRms(input))).toBeLessThanOrEqual(-100);
    }
  });

  it('keeps tones in the pass band within 0.001 dB (22.05 → 16, 16 → 48, 44.1 → 16 kHz)', () => {
    for (const [from, to, frequency] of [
      [22050, 16000, 3000],
      [16000, 48000, 5000],
      [44100, 16000, 7000],
    ] as const) {
      const output = resample(tone(frequency, from, 0.5), from, to);
      expect(Math.abs(db(amplitude(output, frequency, to) / 0.5))).toBeLessThan(0.001);
    }
  });

  it('gives the same samples, within float32 rounding, with each kernel', async () => {
    const input = tone(1234, 48000, 0.6);
    for (let i = 0; i < input.length; i++) input[i] = input[i]! + 0.1 * Math.sin(i / 3.3);
    const reference = await convert(input, 48000, 16000, 'scalar');
    for (const kernel of ['fft', 'simd'] as const) {
      const output = await convert(input, 48000, 16000, kernel);
      expect(output).toHaveLength(reference.length);
      // The FFT stage filters in one stage, the others in two: the same response within 2·10⁻⁵ (−94 dB).
      let worst = 0;
      for (let i = 200; i < output.length - 200; i++) worst = Math.max(worst, Math.abs(output[i]! - reference[i]!));
      expect(worst).toBeLessThan(kernel === 'fft' ? 2e-5 : 1e-6);
    }
  });

  it('keeps the phase: a resampled tone lines up with the same tone sampled at the new rate', async () => {
    for (const kernel of kernels) {
      const output = await convert(tone(440, 48000, 0.5), 48000, 16000, kernel);
      const expected = tone(440, 16000, 0.5);
      for (let i = 2000; i < 6000; i++) expect(output[i]).toBeCloseTo(expected[i]!, 4);
    }
  });

  it('produces ceil(n · out / in) samples', async () => {
    for (const kernel of kernels) {
      for (const n of [0, 1, 2, 3, 100, 4801, 100_003]) expect(await convert(new Float32Array(n), 48000, 16000, kernel)).toHaveLength(Math.ceil(n / 3));
    }
    expect(resample(new Float32Array(441), 22050, 16000)).toHaveLength(320);
    expect(resample(new Float32Array(1001), 44100, 16000)).toHaveLength(Math.ceil((1001 * 16000) / 44100));
  });

  it('never mutates the caller’s buffer, and copies when the rates are equal', async () => {
    const input = tone(1000, 48000, 0.1);
    const copy = input.slice();
    for (const kernel of kernels) await convert(input, 48000, 16000, kernel);
    expect(input).toEqual(copy);
    const same = resample(input, 48000, 48000);
    expect(same).toEqual(input);
    expect(same).not.toBe(input);
  });

  it('gives the same output whether the input arrives whole or in chunks of any size', async () => {
    for (const [from, to, kernel] of [
      [22050, 16000, 'simd'],
      [48000, 16000, 'fft'],
      [48000, 16000, 'simd'],
    ] as const) {
      const input = tone(1234, from, 3.1);
      const whole = await convert(input, from, to, kernel);
      const resampler = kernel === 'fft' ? await Resampler.create(from, to) : new Resampler(from, to, { kernel });
      const parts: number[] = [];
      for (let at = 0, size = 1; at < input.length; at += size, size = (size * 5 + 1) % 30000) parts.push(...resampler.process(input.subarray(at, at + size)));
      parts.push(...resampler.flush());
      expect(parts).toHaveLength(whole.length);
      expect(Float32Array.from(parts)).toEqual(whole);
    }
  });

  it('handles rates whose ratio needs many phases (44101 → 16000)', () => {
    const input = tone(1000, 44101, 0.05);
    const output = resample(input, 44101, 16000);
    expect(output).toHaveLength(Math.ceil((input.length * 16000) / 44101));
    expect(Math.abs(db(middleRms(output) / middleRms(input)))).toBeLessThan(0.05);
  });
});
