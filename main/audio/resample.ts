// Band-limited sample-rate conversion: a polyphase windowed-sinc (Kaiser) filter at the exact rational
// ratio of the two rates. Streaming, so a long file passes through in chunks; the caller's arrays are only read.

export interface ResamplerOptions {
  /** Fraction of the lower Nyquist frequency passed flat; the transition band ends at that Nyquist. */
  passband?: number;
  /** Stop-band attenuation the Kaiser window is designed for, in dB. */
  stopbandDb?: number;
}

const defaultPassband = 0.9;
const defaultStopbandDb = 100;
/** Above this many coefficients, taps are computed per output sample instead of tabulated. */
const maxTableSize = 1 << 22;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  private readonly up: number;
  private readonly down: number;
  /** Half the filter length, in input samples; each output uses 2·halfTaps inputs. */
  private readonly halfTaps: number;
  private readonly taps: number;
  private readonly cutoff: number;
  private readonly beta: number;
  private readonly i0Beta: number;
  private readonly table: Float64Array | null;
  private buffer: Float64Array;
  private bufferLength: number;
  /** Absolute input index of buffer[0]; negative at first, where the signal is preceded by zeros. */
  private bufferStart: number;
  private inputCount = 0;
  private outputCount = 0;
  private flushed = false;

  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`sample rates must be positive integers (got ${inputRate} → ${outputRate})`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    const passband = options.passband ?? defaultPassband;
    const stopbandDb = options.stopbandDb ?? defaultStopbandDb;
    // Frequencies in cycles per input sample.
    const nyquist = Math.min(inputRate, outputRate) / 2 / inputRate;
    const transition = nyquist * (1 - passband);
    this.cutoff = nyquist * (1 + passband) / 2;
    this.beta = stopbandDb > 50 ? 0.1102 * (stopbandDb - 8.7) : 0.5842 * (stopbandDb - 21) ** 0.4 + 0.07886 * (stopbandDb - 21);
    this.i0Beta = besselI0(this.beta);
    const length = (stopbandDb - 7.95) / (2.285 * 2 * Math.PI * transition);
    this.halfTaps = Math.max(2, Math.ceil(length / 2));
    this.taps = 2 * this.halfTaps;
    this.table = this.up * this.taps <= maxTableSize ? this.buildTable() : null;
    this.buffer = new Float64Array(this.taps * 4 + 4096);
    // halfTaps zeros before the first sample.
    this.bufferLength = this.halfTaps;
    this.bufferStart = -this.halfTaps;
  }

  /** Samples `process` will have produced after `inputSamples` inputs and a flush. */
  outputLength(inputSamples: number): number {
    return Math.ceil((inputSamples * this.up) / this.down);
  }

  /** Converts the next chunk; returns the outputs that are ready (the filter holds back about halfTaps). */
  process(chunk: ArrayLike<number>): Float32Array {
    if (this.flushed) throw new Error('resampler already flushed');
    if (this.up === this.down) {
      this.inputCount += chunk.length;
      return Float32Array.from(chunk);
    }
    this.append(chunk);
    this.inputCount += chunk.length;
    return this.produce(false);
  }

  /** Ends the input: the tail is filtered against trailing zeros. */
  flush(): Float32Array {
    if (this.flushed) throw new Error('resampler already flushed');
    this.flushed = true;
    if (this.up === this.down) return new Float32Array(0);
    this.append(new Float64Array(this.halfTaps + 1));
    return this.produce(true);
  }

  private filterValue(t: number): number {
    // h(t) = 2·fc·sinc(2·fc·t) · kaiser(t / halfTaps), t in input samples.
    const ratio = t / this.halfTaps;
    if (ratio <= -1 || ratio >= 1) return 0;
    const x = 2 * this.cutoff * t;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return 2 * this.cutoff * sinc * (besselI0(this.beta * Math.sqrt(1 - ratio * ratio)) / this.i0Beta);
  }

  /** Taps of one phase (fractional delay phase/up), normalised to unit DC gain. */
  private phaseTaps(phase: number, into: Float64Array, at: number): void {
    const fraction = phase / this.up;
    let sum = 0;
    for (let k = 0; k < this.taps; k++) {
      // Input index q − halfTaps + 1 + k sits at distance fraction + halfTaps − 1 − k from the output time.
      const value = this.filterValue(fraction + this.halfTaps - 1 - k);
      into[at + k] = value;
      sum += value;
    }
    for (let k = 0; k < this.taps; k++) into[at + k] = into[at + k]! / sum;
  }

  private buildTable(): Float64Array {
    const table = new Float64Array(this.up * this.taps);
    for (let phase = 0; phase < this.up; phase++) this.phaseTaps(phase, table, phase * this.taps);
    return table;
  }

  private append(chunk: ArrayLike<number>): void {
    const needed = this.bufferLength + chunk.length;
    if (needed > this.buffer.length) {
      const grown = new Float64Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    const buffer = this.buffer;
    let at = this.bufferLength;
    for (let i = 0; i < chunk.length; i++) buffer[at++] = chunk[i]!;
    this.bufferLength = at;
  }

  private produce(final: boolean): Float32Array {
    const { up, down, taps, halfTaps, buffer, table } = this;
    const available = this.bufferStart + this.bufferLength; // absolute index one past the last buffered input
    const total = final ? this.outputLength(this.inputCount) : Infinity;
    // Output n needs inputs up to q + halfTaps, q = floor(n·down/up).
    const last = Math.floor(((available - halfTaps) * up - 1) / down);
    const end = Math.min(total, last + 1);
    const count = Math.max(0, end - this.outputCount);
    const out = new Float32Array(count);
    const scratch = table ? null : new Float64Array(taps);
    for (let i = 0; i < count; i++) {
      const n = this.outputCount + i;
      const position = n * down;
      const q = Math.floor(position / up);
      const phase = position - q * up;
      const base = q - halfTaps + 1 - this.bufferStart;
      if (up === 1 && table) {
        // Integer decimation: one phase, symmetric about its centre tap, so pairs of inputs share a multiply.
        const centre = base + halfTaps - 1;
        let a0 = table[halfTaps - 1]! * buffer[centre]!;
        let a1 = 0;
        let j = 1;
        for (; j + 1 < halfTaps; j += 2) {
          a0 += table[halfTaps - 1 - j]! * (buffer[centre - j]! + buffer[centre + j]!);
          a1 += table[halfTaps - 2 - j]! * (buffer[centre - j - 1]! + buffer[centre + j + 1]!);
        }
        for (; j < halfTaps; j++) a0 += table[halfTaps - 1 - j]! * (buffer[centre - j]! + buffer[centre + j]!);
        out[i] = a0 + a1;
        continue;
      }
      let coefficients: Float64Array;
      let offset: number;
      if (table) {
        coefficients = table;
        offset = phase * taps;
      } else {
        this.phaseTaps(phase, scratch!, 0);
        coefficients = scratch!;
        offset = 0;
      }
      // Four partial sums break the dependency chain of one long accumulation (taps is even).
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let k = 0;
      for (; k + 3 < taps; k += 4) {
        a0 += buffer[base + k]! * coefficients[offset + k]!;
        a1 += buffer[base + k + 1]! * coefficients[offset + k + 1]!;
        a2 += buffer[base + k + 2]! * coefficients[offset + k + 2]!;
        a3 += buffer[base + k + 3]! * coefficients[offset + k + 3]!;
      }
      for (; k < taps; k++) a0 += buffer[base + k]! * coefficients[offset + k]!;
      out[i] = a0 + a1 + a2 + a3;
    }
    this.outputCount += count;
    // Keep only the inputs the next output still needs.
    const nextQ = Math.floor((this.outputCount * down) / up);
    const keepFrom = Math.max(0, Math.min(this.bufferLength, nextQ - halfTaps + 1 - this.bufferStart));
    if (keepFrom > 0) {
      buffer.copyWithin(0, keepFrom, this.bufferLength);
      this.bufferLength -= keepFrom;
      this.bufferStart += keepFrom;
    }
    return out;
  }
}

/** Resamples a whole signal; returns a new array (a copy when the rates are equal). */
export function resample(samples: ArrayLike<number>, inputRate: number, outputRate: number, options?: ResamplerOptions): Float32Array {
  const resampler = new Resampler(inputRate, outputRate, options);
  const head = resampler.process(samples);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
