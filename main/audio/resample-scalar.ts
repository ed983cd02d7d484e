// One resampling stage in plain JavaScript (float64): the reference the WebAssembly stage is tested against,
// and the path for rate pairs whose filter has too many branches to tabulate, or runtimes without SIMD.
import type { StageFilter } from './resample-filter';

export interface ResampleStage {
  /** Outputs ready after this input (the filter holds some back). The caller's array is only read. */
  process(chunk: Float32Array): Float32Array;
  /** Ends the input (the tail is filtered against zeros): the remaining ⌈inputs·up/down⌉ − produced outputs. */
  flush(): Float32Array;
}

export class ScalarStage implements ResampleStage {
  private readonly filter: StageFilter;
  private buffer: Float64Array;
  private bufferLength: number;
  /** Absolute input index of buffer[0]; negative at first, where the signal is preceded by zeros. */
  private bufferStart: number;
  private inputCount = 0;
  private outputCount = 0;
  private readonly scratch: Float64Array;

  constructor(filter: StageFilter) {
    this.filter = filter;
    this.buffer = new Float64Array(filter.taps * 4 + 4096);
    // halfTaps zeros before the first sample.
    this.bufferLength = filter.halfTaps;
    this.bufferStart = -filter.halfTaps;
    this.scratch = new Float64Array(filter.taps);
  }

  process(chunk: Float32Array): Float32Array {
    this.append(chunk);
    this.inputCount += chunk.length;
    return this.produce(Infinity);
  }

  flush(): Float32Array {
    this.append(new Float64Array(this.filter.halfTaps + 1));
    return this.produce(Math.ceil((this.inputCount * this.filter.up) / this.filter.down));
  }

  private append(chunk: ArrayLike<number>): void {
    const needed = this.bufferLength + chunk.length;
    if (needed > this.buffer.length) {
      const grown = new Float64Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.bufferLength);
    this.bufferLength = needed;
  }

  private produce(total: number): Float32Array {
    const { up, down, taps, halfTaps, table } = this.filter;
    const buffer = this.buffer;
    const available = this.bufferStart + this.bufferLength; // absolute index one past the last buffered input
    // Output n needs inputs up to q + halfTaps, q = floor(n·down/up).
    const last = Math.floor(((available - halfTaps) * up - 1) / down);
    const end = Math.min(total, last + 1);
    const count = Math.max(0, end - this.outputCount);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const position = (this.outputCount + i) * down;
      const q = Math.floor(position / up);
      const phase = position - q * up;
      const base = q - halfTaps + 1 - this.bufferStart;
      let coefficients = table;
      let offset = phase * taps;
      if (!coefficients) {
        this.filter.branch(phase, this.scratch, 0);
        coefficients = this.scratch;
        offset = 0;
      }
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += buffer[base + k]! * coefficients[offset + k]!;
      out[i] = sum;
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
