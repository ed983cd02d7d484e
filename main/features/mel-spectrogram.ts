// Streaming log-mel and MFCC extraction, equal to librosa.feature.melspectrogram → power_to_db(top_db=80)
// → mfcc(dct_type=2, norm='ortho') with centred zero padding. Samples arrive in chunks of any size, so a long
// file never needs to be held whole; frames are computed in float64 and stored as float32.
import FFT from 'fft.js';
import { orthonormalDctMatrix } from './dct';
import { melFilterbank, type MelBand } from './mel-filterbank';
import { presetFMax, type FeatureParameters } from './presets';
import { paddedPeriodicHann } from './window';

/** Frame-major features: value of frame t, coefficient c at [t * width + c]. */
export interface MelFeatures {
  sampleRate: number;
  nFrames: number;
  nMels: number;
  nMfcc: number;
  melPower: Float32Array;
  logMelDb: Float32Array;
  mfcc: Float32Array;
}

/** A Float32Array that grows by doubling, for per-frame outputs of unknown final length. */
class GrowableFloat32 {
  private data: Float32Array;
  length = 0;

  constructor(initialCapacity: number) {
    this.data = new Float32Array(Math.max(16, initialCapacity));
  }

  reserve(extra: number): Float32Array {
    const needed = this.length + extra;
    if (needed > this.data.length) {
      const grown = new Float32Array(Math.max(needed, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    return this.data;
  }

  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Sees each frame's raw samples (n_fft, unwindowed, centred framing) and its power spectrum (n_fft/2 + 1 bins). */
export type FrameObserver = (samples: Float64Array, power: Float64Array) => void;

export interface MelSpectrogramOptions {
  /** Expected input length, to size the outputs once. */
  expectedSamples?: number;
  onFrame?: FrameObserver;
}

export class MelSpectrogramExtractor {
  readonly sampleRate: number;
  private readonly params: FeatureParameters;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  /** Only the window's non-zero span needs multiplying; the rest of the frame stays zero. */
  private readonly windowStart: number;
  private readonly windowEnd: number;
  private readonly bands: MelBand[];
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;
  /** Pending samples; index 0 is absolute padded-signal position `bufferStart`. */
  private buffer: Float64Array;
  private bufferLength = 0;
  private nextFrameOffset = 0;
  private readonly melPower: GrowableFloat32;
  private readonly dbUnclipped: GrowableFloat32;
  private maxDb = -Infinity;
  private samplesSeen = 0;
  private finished = false;

  private readonly onFrame: FrameObserver | undefined;

  constructor(params: FeatureParameters, sampleRate: number, options: MelSpectrogramOptions = {}) {
    const expectedSamples = options.expectedSamples ?? 0;
    this.onFrame = options.onFrame;
    if (!Number.isFinite(sampleRate) || sampleRate <= 0) throw new RangeError(`bad sample rate ${sampleRate}`);
    this.params = params;
    this.sampleRate = sampleRate;
    const { nFft, winLength, nMels } = params;
    this.fft = new FFT(nFft);
    this.window = paddedPeriodicHann(winLength, nFft);
    this.windowStart = Math.floor((nFft - winLength) / 2);
    this.windowEnd = this.windowStart + winLength;
    this.bands = melFilterbank({ sampleRate, nFft, nMels, fMin: params.fMin, fMax: presetFMax(params, sampleRate) });
    this.frame = new Float64Array(nFft);
    this.spectrum = new Float64Array(2 * nFft);
    this.power = new Float64Array(nFft / 2 + 1);
    this.buffer = new Float64Array(nFft * 4);
    // Centred framing: the signal is preceded by n_fft/2 zeros.
    this.bufferLength = Math.floor(nFft / 2);
    const expectedFrames = expectedSamples > 0 ? Math.floor(expectedSamples / params.hopLength) + 1 : 256;
    this.melPower = new GrowableFloat32(expectedFrames * nMels);
    this.dbUnclipped = new GrowableFloat32(expectedFrames * nMels);
  }

  /** Adds samples (mono, at `sampleRate`). The caller's array is only read. */
  push(samples: ArrayLike<number>): void {
    if (this.finished) throw new Error('extractor already finished');
    this.samplesSeen += samples.length;
    this.append(samples);
    this.drainFrames();
  }

  /** Pads the end, computes the remaining frames and the clip-level dB clipping and MFCC. */
  finish(): MelFeatures {
    if (this.finished) throw new Error('extractor already finished');
    const { nFft, hopLength, nMels, nMfcc, topDb } = this.params;
    this.append(new Float64Array(Math.floor(nFft / 2)));
    this.drainFrames();
    this.finished = true;

    const nFrames = Math.floor(this.samplesSeen / hopLength) + 1;
    const melPower = this.melPower.view();
    const logMelDb = this.dbUnclipped.view();
    if (melPower.length !== nFrames * nMels) {
      throw new Error(`internal framing error: ${melPower.length / nMels} frames, expected ${nFrames}`);
    }
    const floor = this.maxDb - topDb;
    for (let i = 0; i < logMelDb.length; i++) if (logMelDb[i]! < floor) logMelDb[i] = floor;

    const dct = orthonormalDctMatrix(nMels, nMfcc);
    const mfcc = new Float32Array(nFrames * nMfcc);
    for (let t = 0; t < nFrames; t++) {
      const rowOffset = t * nMels;
      for (let k = 0; k < nMfcc; k++) {
        let sum = 0;
        const dctOffset = k * nMels;
        for (let m = 0; m < nMels; m++) sum += dct[dctOffset + m]! * logMelDb[rowOffset + m]!;
        mfcc[t * nMfcc + k] = sum;
      }
    }
    return { sampleRate: this.sampleRate, nFrames, nMels, nMfcc, melPower, logMelDb, mfcc };
  }

  private append(samples: ArrayLike<number>): void {
    // Drop samples no future frame needs, then grow if still short of room.
    if (this.nextFrameOffset > 0) {
      this.buffer.copyWithin(0, this.nextFrameOffset, this.bufferLength);
      this.bufferLength -= this.nextFrameOffset;
      this.nextFrameOffset = 0;
    }
    const needed = this.bufferLength + samples.length;
    if (needed > this.buffer.length) {
      const grown = new Float64Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    const buffer = this.buffer;
    let at = this.bufferLength;
    for (let i = 0; i < samples.length; i++) buffer[at++] = samples[i]!;
    this.bufferLength = at;
  }

  private drainFrames(): void {
    const { nFft, hopLength, nMels, amin } = this.params;
    const { frame, window, spectrum, power, bands, buffer, windowStart, windowEnd } = this;
    const nBins = nFft / 2 + 1;
    while (this.nextFrameOffset + nFft <= this.bufferLength) {
      const start = this.nextFrameOffset;
      for (let i = windowStart; i < windowEnd; i++) frame[i] = buffer[start + i]! * window[i]!;
      this.fft.realTransform(spectrum, frame);
      for (let k = 0; k < nBins; k++) {
        const re = spectrum[2 * k]!;
        const im = spectrum[2 * k + 1]!;
        power[k] = re * re + im * im;
      }
      if (this.onFrame) this.onFrame(buffer.subarray(start, start + nFft), power);
      const melOut = this.melPower.reserve(nMels);
      const dbOut = this.dbUnclipped.reserve(nMels);
      const at = this.melPower.length;
      for (let m = 0; m < nMels; m++) {
        const band = bands[m]!;
        const weights = band.weights;
        let sum = 0;
        for (let j = 0, k = band.firstBin; j < weights.length; j++, k++) sum += weights[j]! * power[k]!;
        melOut[at + m] = sum;
        // ref = 1.0, so no offset.
        const db = 10 * Math.log10(sum > amin ? sum : amin);
        dbOut[at + m] = db;
        if (db > this.maxDb) this.maxDb = db;
      }
      this.melPower.length += nMels;
      this.dbUnclipped.length += nMels;
      this.nextFrameOffset += hopLength;
    }
  }
}

/** Features of a whole clip already in memory, at its own rate (resample first for fixed-rate presets). */
export function computeMelFeatures(samples: ArrayLike<number>, sampleRate: number, params: FeatureParameters): MelFeatures {
  const extractor = new MelSpectrogramExtractor(params, sampleRate, { expectedSamples: samples.length });
  extractor.push(samples);
  return extractor.finish();
}
