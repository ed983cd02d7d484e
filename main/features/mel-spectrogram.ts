// Streaming log-mel and MFCC extraction, equal to librosa.feature.melspectrogram → power_to_db(top_db=80)
// → mfcc(dct_type=2, norm='ortho') with centred zero padding. Samples arrive in chunks of any size, so a long
// file never needs to be held whole; frames are computed in float64 and stored as float32.
import { orthonormalDctMatrix } from './dct';
import { melFilterbank } from './mel-filterbank';
import { presetFMax, type FeatureParameters } from './presets';
import { prepareMelKernel, type MelKernel, type MelKernelFactory } from './mel-kernel';
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

/**
 * Sees each frame's raw samples (n_fft, unwindowed, centred framing) and its power spectrum (n_fft/2 + 1 bins);
 * samples[signalFrom, signalTo) are the signal's, the rest is the zero padding before its start or after its end.
 */
export type FrameObserver = (samples: Float64Array, power: Float64Array, signalFrom: number, signalTo: number) => void;

export interface MelSpectrogramOptions {
  /** Expected input length, to size the outputs once. */
  expectedSamples?: number;
  onFrame?: FrameObserver;
  /** Use the plain JavaScript kernel even where WebAssembly SIMD is available (tests compare the two). */
  scalar?: boolean;
}

/** push() takes its input in blocks of this many samples, so the pending-sample buffer stays small. */
const pushBlock = 1 << 15;

const kernelFactories = new Map<string, MelKernelFactory>();

/** The window, filter bank and DCT of `params` at `sampleRate`, made (and the kernel prepared) once per set. */
function kernelFactory(params: FeatureParameters, sampleRate: number, scalar: boolean): MelKernelFactory {
  const { nFft, winLength, nMels, fMin, nMfcc, amin } = params;
  const fMax = presetFMax(params, sampleRate);
  const key = JSON.stringify([sampleRate, nFft, winLength, nMels, fMin, fMax, nMfcc, amin, scalar]);
  let factory = kernelFactories.get(key);
  if (!factory) {
    const window = paddedPeriodicHann(winLength, nFft);
    const bands = melFilterbank({ sampleRate, nFft, nMels, fMin, fMax });
    const dct = orthonormalDctMatrix(nMels, nMfcc);
    factory = prepareMelKernel({ nFft, window, bands, dct, nOut: nMfcc, amin }, { scalar });
    if (kernelFactories.size >= 32) kernelFactories.clear();
    kernelFactories.set(key, factory);
  }
  return factory;
}

export class MelSpectrogramExtractor {
  readonly sampleRate: number;
  private readonly params: FeatureParameters;
  /** Window → FFT → power → mel bands, two frames per call; also holds the pending samples. */
  private readonly kernel: MelKernel;
  /** One frame's power spectrum, for the frame observer. */
  private readonly power: Float64Array;
  /** Pending samples (kernel.samples[0 … bufferLength)); frames start at nextFrameOffset. */
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
    const { nFft, nMels } = params;
    // Room for one input block (see push) plus the samples carried over between blocks.
    this.kernel = kernelFactory(params, sampleRate, options.scalar ?? false).create(pushBlock + 2 * nFft + params.hopLength);
    this.power = new Float64Array(nFft / 2 + 1);
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
    // Taken in blocks, so the pending-sample buffer stays small (cache-sized) whatever the caller passes.
    for (let at = 0; at < samples.length; at += pushBlock) {
      const end = Math.min(samples.length, at + pushBlock);
      this.append(ArrayBuffer.isView(samples) ? (samples as unknown as Float32Array).subarray(at, end) : Array.prototype.slice.call(samples, at, end));
      this.drainFrames();
    }
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
    const mfcc = new Float32Array(nFrames * nMfcc);
    // Clip at the floor (in the stored float32 values), then the DCT of each frame.
    for (let i = 0; i < logMelDb.length; i++) if (logMelDb[i]! < floor) logMelDb[i] = floor;
    this.kernel.dct(logMelDb, mfcc);
    return { sampleRate: this.sampleRate, nFrames, nMels, nMfcc, melPower, logMelDb, mfcc };
  }

  private append(samples: ArrayLike<number>): void {
    // Drop samples no future frame needs, then grow if still short of room.
    if (this.nextFrameOffset > 0) {
      this.kernel.samples.copyWithin(0, this.nextFrameOffset, this.bufferLength);
      this.bufferLength -= this.nextFrameOffset;
      this.nextFrameOffset = 0;
    }
    this.kernel.reserveSamples(this.bufferLength + samples.length);
    const buffer = this.kernel.samples;
    if (ArrayBuffer.isView(samples)) {
      // Typed arrays convert natively (float32 → float64) in one call.
      buffer.set(samples as unknown as ArrayLike<number>, this.bufferLength);
    } else {
      for (let i = 0, at = this.bufferLength; i < samples.length; i++) buffer[at++] = samples[i]!;
    }
    this.bufferLength += samples.length;
  }

  private drainFrames(): void {
    const { nFft, hopLength } = this.params;
    const kernel = this.kernel;
    while (this.nextFrameOffset + nFft <= this.bufferLength) {
      // Two frames per kernel call where two are ready; a lone frame goes in both lanes.
      const a = this.nextFrameOffset;
      const b = a + hopLength;
      const pair = b + nFft <= this.bufferLength;
      kernel.run(a, pair ? b : a);
      this.emitFrame(a, 0);
      if (pair) this.emitFrame(b, 1);
      this.nextFrameOffset += pair ? 2 * hopLength : hopLength;
    }
  }

  /** Stores lane `lane` of the kernel's output as the next frame (which started at samples[start]). */
  private emitFrame(start: number, lane: 0 | 1): void {
    const { nFft, nMels } = this.params;
    const { kernel, onFrame } = this;
    if (onFrame) {
      const { power } = this;
      const interleaved = kernel.power;
      for (let k = 0; k < power.length; k++) power[k] = interleaved[2 * k + lane]!;
      // Where this frame sits in the signal: frame t starts at t·hop − n_fft/2.
      const frameStart = (this.melPower.length / nMels) * this.params.hopLength - Math.floor(nFft / 2);
      const signalFrom = Math.max(0, -frameStart);
      const signalTo = Math.max(signalFrom, Math.min(nFft, this.samplesSeen - frameStart));
      onFrame(kernel.samples.subarray(start, start + nFft), power, signalFrom, signalTo);
    }
    const { mel, db } = kernel;
    const melOut = this.melPower.reserve(nMels);
    const dbOut = this.dbUnclipped.reserve(nMels);
    const at = this.melPower.length;
    let maxDb = this.maxDb;
    for (let m = 0; m < nMels; m++) {
      melOut[at + m] = mel[2 * m + lane]!;
      // 10·log10(max(S, amin)), ref 1.0, computed by the kernel.
      const value = db[2 * m + lane]!;
      dbOut[at + m] = value;
      if (value > maxDb) maxDb = value;
    }
    this.maxDb = maxDb;
    this.melPower.length += nMels;
    this.dbUnclipped.length += nMels;
  }
}

/** Features of a whole clip already in memory, at its own rate (resample first for fixed-rate presets). */
export function computeMelFeatures(samples: ArrayLike<number>, sampleRate: number, params: FeatureParameters): MelFeatures {
  const extractor = new MelSpectrogramExtractor(params, sampleRate, { expectedSamples: samples.length });
  extractor.push(samples);
  return extractor.finish();
}
