// Analytic properties of the feature DSP.
import { describe, expect, it } from 'vitest';
import { ComplexFft } from './complex-fft';
import { orthonormalDctMatrix } from './dct';
import { RealPowerSpectrum } from './real-fft';
import { hzToMel, melFilterbank, melFilterbankDense, melToHz } from './mel-filterbank';
import { createMelKernel } from './mel-kernel';
import { MelSpectrogramExtractor, computeMelFeatures } from './mel-spectrogram';
import { featurePresetParameters } from './presets';
import { SummaryAccumulator } from './summary';
import { paddedPeriodicHann, periodicHann } from './window';

function tone(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}

describe('DCT-II (orthonormal)', () => {
  it('has orthonormal rows: D·Dᵀ = I', () => {
    const n = 40;
    const d = orthonormalDctMatrix(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += d[i * n + k]! * d[j * n + k]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('maps a constant vector to its first coefficient only (√N · c)', () => {
    const n = 128;
    const d = orthonormalDctMatrix(n, 20);
    for (let k = 0; k < 20; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += d[k * n + i]! * 3;
      expect(sum).toBeCloseTo(k === 0 ? 3 * Math.sqrt(n) : 0, 10);
    }
  });
});

function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * k * t) / n;
      out.re[k] = out.re[k]! + re[t]! * Math.cos(angle) - im[t]! * Math.sin(angle);
      out.im[k] = out.im[k]! + re[t]! * Math.sin(angle) + im[t]! * Math.cos(angle);
    }
  }
  return out;
}

describe('FFT', () => {
  it('the complex FFT equals the DFT for every power-of-two size up to 1024', () => {
    for (let n = 2; n <= 1024; n *= 2) {
      const xr = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3));
      const xi = Float64Array.from({ length: n }, (_, i) => Math.cos(i * i * 0.7));
      const fft = new ComplexFft(n);
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        re[fft.bitReversed[i]!] = xr[i]!;
        im[fft.bitReversed[i]!] = xi[i]!;
      }
      fft.transform(re, im);
      const expected = naiveDft(xr, xi);
      for (let k = 0; k < n; k++) {
        expect(Math.abs(re[k]! - expected.re[k]!)).toBeLessThan(1e-9);
        expect(Math.abs(im[k]! - expected.im[k]!)).toBeLessThan(1e-9);
      }
    }
  });

  it('the real power spectrum equals |DFT|² of the windowed frame', () => {
    for (const n of [4, 8, 64, 512]) {
      const samples = Float64Array.from({ length: n + 10 }, (_, i) => Math.sin(i * 0.9) + 0.3 * Math.cos(i * i));
      const window = paddedPeriodicHann(Math.round(n * 0.75), n);
      const power = new Float64Array(n / 2 + 1);
      new RealPowerSpectrum(n).compute(samples, 5, window, power);
      const frame = Float64Array.from({ length: n }, (_, i) => samples[5 + i]! * window[i]!);
      const expected = naiveDft(frame, new Float64Array(n));
      for (let k = 0; k <= n / 2; k++) {
        const p = expected.re[k]! ** 2 + expected.im[k]! ** 2;
        expect(Math.abs(power[k]! - p)).toBeLessThan(1e-9 * Math.max(1, p));
      }
    }
  });
});

describe('two-frame mel kernel', () => {
  function kernelSpec(nFft: number, winLength: number, nMels: number, nOut: number) {
    const bands = melFilterbank({ sampleRate: 16000, nFft, nMels, fMin: 0, fMax: 8000 });
    return { nFft, window: paddedPeriodicHann(winLength, nFft), bands, dct: orthonormalDctMatrix(nMels, nOut), nOut, amin: 1e-10 };
  }

  it('gives bit for bit the decibels of Math.log, across exponents, near 1 and powers of two, and at the floor', () => {
    const spec = kernelSpec(512, 400, 40, 13);
    const fast = createMelKernel(spec, 1024);
    const values: number[] = [1, 2, 0.5, 1e-10, 1.0000000001e-10, 9.9e-11, 0, -1, Infinity, NaN, Math.SQRT2, Math.SQRT1_2, 1e300, 2 ** -30];
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 100_000; i++) {
      const kind = i % 4;
      if (kind === 0) values.push(10 ** (-10 + 16 * random()));
      else if (kind === 1) values.push(1 + (random() - 0.5) * 2 ** -18);
      else if (kind === 2) values.push(2 ** Math.floor(-33 + 40 * random()) * (1 + (random() - 0.5) * 2 ** -19));
      else values.push(random() * 1e-9);
    }
    const { dbPerLn, dbFloor } = { dbPerLn: 10 / Math.LN10, dbFloor: (10 / Math.LN10) * Math.log(1e-10) };
    const width = fast.mel.length;
    let mismatches = 0;
    for (let at = 0; at < values.length; at += width) {
      for (let j = 0; j < width; j++) fast.mel[j] = values[(at + j) % values.length]!;
      fast.decibels();
      for (let j = 0; j < width; j++) {
        const x = fast.mel[j]!;
        const expected = x > 1e-10 ? dbPerLn * Math.log(x) : dbFloor;
        if (!Object.is(fast.db[j], expected)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('runs as WebAssembly SIMD here', () => {
    expect(createMelKernel(kernelSpec(512, 400, 40, 13), 4096).simd).toBe(true);
  });

  it('gives bit for bit the DCT of the scalar code, for odd and even coefficient counts and partial blocks', () => {
    for (const [nMels, nOut] of [
      [40, 13],
      [128, 20],
      [7, 1],
    ] as const) {
      const nFrames = 601;
      const logMel = Float32Array.from({ length: nFrames * nMels }, (_, i) => -80 * Math.abs(Math.sin(i * 0.31)) + 3 * Math.cos(i));
      const fast = new Float32Array(nFrames * nOut);
      const slow = new Float32Array(nFrames * nOut);
      createMelKernel(kernelSpec(512, 400, nMels, nOut), 1024).dct(logMel, fast);
      createMelKernel(kernelSpec(512, 400, nMels, nOut), 1024, { scalar: true }).dct(logMel, slow);
      expect(Array.from(fast)).toEqual(Array.from(slow));
      const d = orthonormalDctMatrix(nMels, nOut);
      let sum = 0;
      for (let m = 0; m < nMels; m++) sum += d[(nOut - 1) * nMels + m]! * logMel[600 * nMels + m]!;
      expect(fast[600 * nOut + nOut - 1]).toBe(Math.fround(sum));
    }
  });

  it('gives bit for bit the power spectra and mel sums of the scalar code, in each lane, for every size', () => {
    // Sizes with an even and an odd number of radix-2 stages in the half-size complex FFT, and the smallest.
    for (const nFft of [4, 8, 16, 64, 512, 1024, 2048]) {
      const spec = kernelSpec(nFft, Math.round(nFft * 0.8), Math.min(40, nFft), 13);
      const length = 3 * nFft + 17;
      const fast = createMelKernel(spec, length);
      const slow = createMelKernel(spec, length, { scalar: true });
      expect(slow.simd).toBe(false);
      for (const kernel of [fast, slow]) {
        for (let i = 0; i < length; i++) kernel.samples[i] = Math.sin(i * 0.9) + 0.3 * Math.cos(i * i) + (i % 7) * 1e-3;
      }
      for (const [a, b] of [
        [0, 5],
        [17, 17],
        [2 * nFft, 3],
      ] as const) {
        fast.run(a, b);
        slow.run(a, b);
        expect(Array.from(fast.power)).toEqual(Array.from(slow.power));
        expect(Array.from(fast.mel)).toEqual(Array.from(slow.mel));
        expect(Array.from(fast.db)).toEqual(Array.from(slow.db));
        const power = new Float64Array(nFft / 2 + 1);
        new RealPowerSpectrum(nFft).compute(slow.samples, b, spec.window, power);
        expect(Array.from(fast.power.filter((_, i) => i % 2 === 1))).toEqual(Array.from(power));
      }
    }
  });

  it('keeps its samples when it grows, without detaching the old buffer', () => {
    const kernel = createMelKernel(kernelSpec(64, 64, 8, 5), 100);
    kernel.samples.fill(0.25, 0, 100);
    const before = kernel.samples;
    kernel.reserveSamples(1_000_000);
    // Not grown in place: a detached ArrayBuffer would slow every typed-array access in the process.
    expect(before.byteLength).toBeGreaterThan(0);
    expect(kernel.samples.length).toBeGreaterThanOrEqual(1_000_000);
    expect(Array.from(kernel.samples.subarray(0, 100)).every((v) => v === 0.25)).toBe(true);
  });
});

describe('windows', () => {
  it('periodic Hann starts at 0 and peaks at N/2', () => {
    const w = periodicHann(400);
    expect(w[0]).toBe(0);
    expect(w[200]).toBeCloseTo(1, 15);
    expect(w[100]).toBeCloseTo(w[300]!, 15);
  });

  it('a window shorter than n_fft is centred with zeros either side', () => {
    const w = paddedPeriodicHann(400, 512);
    expect(Array.from(w.subarray(0, 56)).every((v) => v === 0)).toBe(true);
    expect(w[56 + 200]).toBeCloseTo(1, 15);
    expect(Array.from(w.subarray(456)).every((v) => v === 0)).toBe(true);
  });
});

describe('Slaney mel scale and filter bank', () => {
  it('is linear below 1 kHz and logarithmic above, and invertible', () => {
    expect(hzToMel(200)).toBeCloseTo(3, 12);
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(hzToMel(6400)).toBeCloseTo(42, 12);
    for (const hz of [0, 100, 999, 1000, 4321, 8000, 24000]) expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 8);
  });

  it('normalises each band to area 2 / (upper − lower edge) in Hz, so band areas are about 1 in bins × Hz', () => {
    const spec = { sampleRate: 16000, nFft: 512, nMels: 40, fMin: 0, fMax: 8000 };
    const dense = melFilterbankDense(spec);
    const sparse = melFilterbank(spec);
    expect(dense).toHaveLength(40);
    sparse.forEach((band, m) => {
      expect(Array.from(band.weights)).toEqual(Array.from(dense[m]!.subarray(band.firstBin, band.firstBin + band.weights.length)));
      const binHz = 16000 / 512;
      const area = dense[m]!.reduce((a, b) => a + b, 0) * binHz;
      expect(area).toBeGreaterThan(0.8);
      expect(area).toBeLessThan(1.2);
    });
  });
});

describe('mel spectrogram', () => {
  it('has 1 + floor(n / hop) centred frames', () => {
    for (const n of [0, 1, 159, 160, 161, 16000]) {
      expect(computeMelFeatures(new Float32Array(n), 16000, featurePresetParameters.speech16k).nFrames).toBe(1 + Math.floor(n / 160));
    }
  });

  it('gives the same features whether samples arrive at once or in odd-sized chunks', () => {
    const signal = tone(440, 16000, 1.3);
    for (let i = 0; i < signal.length; i += 7) signal[i] = signal[i]! + 0.1 * Math.sin(i * 0.37);
    const whole = computeMelFeatures(signal, 16000, featurePresetParameters.speech16k);
    const extractor = new MelSpectrogramExtractor(featurePresetParameters.speech16k, 16000);
    for (let at = 0, size = 1; at < signal.length; at += size, size = (size * 7 + 3) % 2000) extractor.push(signal.subarray(at, at + size));
    const chunked = extractor.finish();
    expect(chunked.nFrames).toBe(whole.nFrames);
    expect(Array.from(chunked.mfcc)).toEqual(Array.from(whole.mfcc));
    expect(Array.from(chunked.logMelDb)).toEqual(Array.from(whole.logMelDb));
  });

  it('gives the same features with the WebAssembly and the plain JavaScript kernel', () => {
    for (const preset of ['speech16k', 'librosa_default'] as const) {
      const signal = tone(440, 16000, 1.3);
      for (let i = 0; i < signal.length; i += 7) signal[i] = signal[i]! + 0.1 * Math.sin(i * 0.37);
      const params = featurePresetParameters[preset];
      const run = (scalar: boolean) => {
        const extractor = new MelSpectrogramExtractor(params, 16000, { scalar });
        extractor.push(signal);
        return extractor.finish();
      };
      const [fast, slow] = [run(false), run(true)];
      expect(Array.from(fast.melPower)).toEqual(Array.from(slow.melPower));
      expect(Array.from(fast.mfcc)).toEqual(Array.from(slow.mfcc));
    }
  });

  it('never reads past or writes into the caller’s samples', () => {
    const signal = tone(1000, 16000, 0.5);
    const copy = signal.slice();
    computeMelFeatures(signal, 16000, featurePresetParameters.speech16k);
    expect(signal).toEqual(copy);
  });

  it('keeps log_mel_db within top_db = 80 of the clip’s maximum', () => {
    const features = computeMelFeatures(tone(1000, 16000, 1), 16000, featurePresetParameters.speech16k);
    let max = -Infinity;
    let min = Infinity;
    for (const v of features.logMelDb) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    expect(max - min).toBeLessThanOrEqual(80 + 1e-4);
    expect(max - min).toBeGreaterThan(79);
  });

  it('puts a pure tone’s energy in the mel band around its frequency', () => {
    const features = computeMelFeatures(tone(1000, 16000, 1), 16000, featurePresetParameters.speech16k);
    const t = 50;
    const row = Array.from(features.melPower.subarray(t * 40, t * 40 + 40));
    const loudest = row.indexOf(Math.max(...row));
    const centres = Array.from({ length: 42 }, (_, i) => melToHz((hzToMel(8000) * i) / 41));
    expect(Math.abs(centres[loudest + 1]! - 1000)).toBeLessThan(centres[loudest + 2]! - centres[loudest + 1]!);
  });
});

describe('summary descriptors', () => {
  function summarise(signal: Float32Array, sampleRate: number) {
    const params = featurePresetParameters.speech16k;
    const summary = new SummaryAccumulator(sampleRate, params.nFft);
    const extractor = new MelSpectrogramExtractor(params, sampleRate, { onFrame: summary.observeFrame });
    summary.countSamples(signal.length);
    extractor.push(signal);
    extractor.finish();
    return summary.finish();
  }

  it('puts a pure tone’s spectral centroid at its frequency', () => {
    for (const frequency of [500, 1000, 3000]) {
      const summary = summarise(tone(frequency, 16000, 1), 16000);
      expect(Math.abs(summary.descriptors.spectral_centroid_hz.p50 - frequency)).toBeLessThan(1);
    }
  });

  it('gives a sine of amplitude A an RMS of A/√2 and a zero-crossing rate of 2f/sr', () => {
    const summary = summarise(tone(1000, 16000, 1, 0.4), 16000);
    expect(summary.descriptors.rms.p50).toBeCloseTo(0.4 / Math.SQRT2, 2);
    expect(summary.descriptors.zero_crossing_rate.p50).toBeCloseTo(2000 / 16000, 2);
    expect(summary.durationSeconds).toBe(1);
    expect(summary.nFrames).toBe(101);
  });

  it('finds white noise flat and a tone not', () => {
    const noise = new Float32Array(16000);
    let seed = 1;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      noise[i] = seed / 2147483648 - 0.5;
    }
    expect(summarise(noise, 16000).descriptors.spectral_flatness.p50).toBeGreaterThan(0.4);
    expect(summarise(tone(1000, 16000, 1), 16000).descriptors.spectral_flatness.p50).toBeLessThan(0.01);
  });
});
