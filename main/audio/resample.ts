// Band-limited sample-rate conversion: polyphase Kaiser-windowed sinc filters at exact rational ratios, in
// one or more stages (resample-filter.ts plans them), computed in WebAssembly SIMD (resample-kernel.ts) or,
// for odd rate pairs and runtimes without SIMD, in plain JavaScript (resample-scalar.ts). Streaming, so a long
// file passes through in chunks; the caller's arrays are only read.
//
// Quality (tested in resample.test.ts): everything at or above the lower Nyquist frequency is attenuated by at
// least 100 dB, and the pass band, 0 to 90% of that Nyquist frequency (7.2 kHz at 16 kHz), is flat within
// ±0.001 dB. Between 90% and 100% the response rolls off.
import { FftStage, loadPffft, type Pffft } from './resample-fft';
import { designStage, planRates } from './resample-filter';
import { SimdStage } from './resample-kernel';
import { ScalarStage, type ResampleStage } from './resample-scalar';
import { wasmSimd } from './wasm-encoder';

export interface ResamplerOptions {
  /** Fraction of the lower Nyquist frequency passed flat; the transition band ends at that Nyquist. */
  passband?: number;
  /** Stop-band attenuation the Kaiser windows are designed for, in dB. */
  stopbandDb?: number;
  /**
   * How to compute. By default: integer decimation by fast convolution when `pffft` is given (Resampler.create
   * loads it), other ratios in WebAssembly SIMD; 'scalar' is plain JavaScript (tests compare them).
   */
  kernel?: 'fft' | 'simd' | 'scalar';
  /** A PFFFT instance from loadPffft(), for the FFT stage. */
  pffft?: Pffft;
}

const defaultPassband = 0.9;
const defaultStopbandDb = 105;

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** The rates passed through, input first (e.g. 48000, 24000, 16000). */
  readonly rates: readonly number[];
  /** Whether every stage runs in WebAssembly SIMD. */
  readonly simd: boolean;
  private readonly stages: ResampleStage[];
  private inputCount = 0;
  private outputCount = 0;
  private flushed = false;

  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`sample rates must be positive integers (got ${inputRate} → ${outputRate})`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const nyquist = Math.min(inputRate, outputRate) / 2;
    const passbandHz = (options.passband ?? defaultPassband) * nyquist;
    const stopbandDb = options.stopbandDb ?? defaultStopbandDb;
    const api = options.kernel === 'scalar' ? undefined : wasmSimd();
    const fft = options.kernel !== 'scalar' && options.kernel !== 'simd' && isIntegerDecimation(inputRate, outputRate) ? options.pffft : undefined;
    if (options.kernel === 'fft' && !fft) throw new Error('the FFT kernel needs integer decimation and a PFFFT instance');
    // Fast convolution costs about the same whatever the filter's length, so it takes the whole ratio at once.
    this.rates = inputRate === outputRate ? [inputRate] : fft ? [inputRate, outputRate] : planRates(inputRate, outputRate);
    this.stages = this.rates.slice(1).map((rate, i) => {
      const filter = designStage(this.rates[i]!, rate, passbandHz, nyquist, stopbandDb);
      if (fft && filter.table) return new FftStage(filter, fft);
      return api && filter.table ? new SimdStage(filter, api) : new ScalarStage(filter);
    });
    this.simd = this.stages.every((stage) => stage instanceof SimdStage || stage instanceof FftStage);
  }

  /**
   * A resampler with the fastest stages available here: for integer decimation it loads PFFFT first (an
   * asynchronous WebAssembly instantiation), otherwise it is the same as `new Resampler`.
   */
  static async create(inputRate: number, outputRate: number, options: ResamplerOptions = {}): Promise<Resampler> {
    const wantsFft = options.kernel === undefined || options.kernel === 'fft';
    if (wantsFft && !options.pffft && isIntegerDecimation(inputRate, outputRate) && wasmSimd()) {
      const pffft = await loadPffft();
      if (pffft) return new Resampler(inputRate, outputRate, { ...options, pffft });
    }
    return new Resampler(inputRate, outputRate, options);
  }

  /** Samples `process` and `flush` produce in all for `inputSamples` inputs. */
  outputLength(inputSamples: number): number {
    return Math.ceil((inputSamples * this.outputRate) / this.inputRate);
  }

  /** Converts the next chunk; returns the outputs that are ready (the filters hold some back). */
  process(chunk: Float32Array): Float32Array {
    if (this.flushed) throw new Error('resampler already flushed');
    this.inputCount += chunk.length;
    let samples = chunk;
    for (const stage of this.stages) samples = stage.process(samples);
    if (samples === chunk) samples = chunk.slice();
    this.outputCount += samples.length;
    return samples;
  }

  /** Ends the input: the tail is filtered against trailing zeros. */
  flush(): Float32Array {
    if (this.flushed) throw new Error('resampler already flushed');
    this.flushed = true;
    let samples = new Float32Array(0);
    for (const stage of this.stages) {
      const head = stage.process(samples);
      const tail = stage.flush();
      samples = new Float32Array(head.length + tail.length);
      samples.set(head);
      samples.set(tail, head.length);
    }
    // Each stage rounds its own length up; the conversion as a whole gives exactly outputLength samples.
    return samples.subarray(0, Math.max(0, this.outputLength(this.inputCount) - this.outputCount));
  }
}

function isIntegerDecimation(inputRate: number, outputRate: number): boolean {
  return inputRate > outputRate && inputRate % outputRate === 0;
}

/** Resamples a whole signal; returns a new array (a copy when the rates are equal). */
export function resample(samples: Float32Array, inputRate: number, outputRate: number, options?: ResamplerOptions): Float32Array {
  const resampler = new Resampler(inputRate, outputRate, options);
  const head = resampler.process(samples);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
