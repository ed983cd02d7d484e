// Streaming log-mel and MFCC extraction, equal to librosa.feature.melspectrogram → power_to_db(top_db=80)
// → mfcc(dct_type=2, norm='ortho') with centred zero padding. Samples arrive in chunks of any size, so a long
// file never needs to be held whole; frames are computed in float64 and stored as float32.
import { orthonormalDctMatrix } from './dct';
import { melFilterbankByBin, type MelFilterbankByBin } from './mel-filterbank';
import { presetFMax, type FeatureParameters } from './presets';
import { RealPowerSpectrum } from './real-fft';
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
  private readonly fft: RealPowerSpectrum;
  private readonly window: Float64Array;
  private readonly bank: MelFilterbankByBin;
  private readonly mel: Float64Array;
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
    this.fft = new RealPowerSpectrum(nFft);
    this.window = paddedPeriodicHann(winLength, nFft);
    this.bank = melFilterbankByBin({ sampleRate, nFft, nMels, fMin: params.fMin, fMax: presetFMax(params, sampleRate) });
    // Slot 0 and slot nMels + 1 absorb the zero-weight contributions of bins at the edges.
    this.mel = new Float64Array(nMels + 2);
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
    const dct = orthonormalDctMatrix(nMels, nMfcc);
    const mfcc = new Float32Array(nFrames * nMfcc);
    const row = new Float64Array(nMels);
    for (let t = 0; t < nFrames; t++) {
      const rowOffset = t * nMels;
      for (let m = 0; m < nMels; m++) {
        const value = logMelDb[rowOffset + m]!;
        row[m] = value < floor ? floor : value;
        logMelDb[rowOffset + m] = row[m]!;
      }
      for (let k = 0; k < nMfcc; k++) {
        // Four partial sums break the dependency chain of one long accumulation.
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        const d = k * nMels;
        let m = 0;
        for (; m + 3 < nMels; m += 4) {
          s0 += dct[d + m]! * row[m]!;
          s1 += dct[d + m + 1]! * row[m + 1]!;
          s2 += dct[d + m + 2]! * row[m + 2]!;
          s3 += dct[d + m + 3]! * row[m + 3]!;
        }
        for (; m < nMels; m++) s0 += dct[d + m]! * row[m]!;
        mfcc[t * nMfcc + k] = s0 + s1 + s2 + s3;
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
    if (ArrayBuffer.isView(samples)) {
      // Typed arrays convert natively (float32 → float64) in one call.
      buffer.set(samples as unknown as ArrayLike<number>, this.bufferLength);
    } else {
      for (let i = 0, at = this.bufferLength; i < samples.length; i++) buffer[at++] = samples[i]!;
    }
    this.bufferLength += samples.length;
  }

  private drainFrames(): void {
    const { nFft, hopLength, nMels, amin } = this.params;
    const { window, power, buffer, mel } = this;
    const { lowerBand, lowerWeight, upperWeight } = this.bank;
    const nBins = power.length;
    const dbPerLn = 10 / Math.LN10;
    const lnAmin = Math.log(amin);
    while (this.nextFrameOffset + nFft <= this.bufferLength) {
      const start = this.nextFrameOffset;
      this.fft.compute(buffer, start, window, power);
      if (this.onFrame) this.onFrame(buffer.subarray(start, start + nFft), power);
      const melOut = this.melPower.reserve(nMels);
      const dbOut = this.dbUnclipped.reserve(nMels);
      const at = this.melPower.length;
      mel.fill(0);
      for (let k = 0; k < nBins; k++) {
        const p = power[k]!;
        const slot = lowerBand[k]! + 1;
        mel[slot] = mel[slot]! + lowerWeight[k]! * p;
        mel[slot + 1] = mel[slot + 1]! + upperWeight[k]! * p;
      }
      for (let m = 0; m < nMels; m++) {
        const sum = mel[m + 1]!;
        melOut[at + m] = sum;
        // 10·log10(max(S, amin)) with ref = 1.0 (so no offset), via the natural log.
        const db = sum > amin ? dbPerLn * Math.log(sum) : dbPerLn * lnAmin;
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
