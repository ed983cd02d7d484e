// Integer decimation (48 → 16 kHz, 32 → 16 kHz, …) by fast convolution: the same Kaiser filter as the other
// stages, applied block by block in the frequency domain with PFFFT (BSD, the SIMD build of
// @echogarden/pffft-wasm). The filter is split into its M polyphase branches, so each branch convolves one of
// the M interleaved input streams at the output rate (no output is computed only to be thrown away):
//   y[n] = Σ_p (c_p ∗ x_p)[n + iMax],  x_p[j] = x[M·j + p],
// and each block of F − P + 1 outputs costs M forward transforms, M spectral multiply-adds and one inverse
// transform of F points, instead of (filter length) multiplications per output.
import type { StageFilter } from './resample-filter';
import type { ResampleStage } from './resample-scalar';
import { createSampleKernels, type SampleKernels } from './sample-kernels';

/** The parts of the PFFFT module (Emscripten build) used here. */
export interface Pffft {
  HEAPF32: Float32Array;
  _pffft_new_setup(n: number, transform: 0 | 1): number;
  _pffft_destroy_setup(setup: number): void;
  _pffft_transform(setup: number, input: number, output: number, work: number, direction: 0 | 1): void;
  _pffft_zconvolve_accumulate(setup: number, a: number, b: number, ab: number, scaling: number): void;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_aligned_free(pointer: number): void;
}

const real = 0;
const forward = 0;
const backward = 1;
/** Transform size: large enough that the branch overlap (~130 samples) is a small part of a block. */
const fftSize = 2048;

/**
 * A fresh PFFFT instance (its own memory, released with the stage that uses it), or undefined where the
 * package cannot be loaded. The SIMD build needs WebAssembly SIMD, which callers check first.
 */
export async function loadPffft(): Promise<Pffft | undefined> {
  try {
    const { default: createPffft } = await import('@echogarden/pffft-wasm/simd');
    return (await createPffft()) as Pffft;
  } catch {
    return undefined;
  }
}

export class FftStage implements ResampleStage {
  private readonly m: number;
  private readonly pffft: Pffft;
  private readonly setup: number;
  /** Branch length P and the offset iMin of the branches' first input (see the file comment). */
  private readonly branchLength: number;
  private readonly iMin: number;
  /** Outputs per block, F − P + 1. */
  private readonly block: number;
  /** Addresses in the PFFFT heap: branch spectra (M·F), input stream (F), its spectrum (F), the sum (F), work (F). */
  private readonly branchSpectra: number;
  private readonly stream: number;
  private readonly spectrum: number;
  private readonly sum: number;
  private readonly work: number;
  /** Pending input at the input rate, in the gather kernel's memory; input[0] is absolute sample bufferStart. */
  private readonly kernels: SampleKernels | undefined;
  private readonly input: Float32Array;
  /** Where one polyphase stream is gathered (kernel memory, byte offset), before it is copied to PFFFT's heap. */
  private readonly staging: Float32Array;
  private bufferLength: number;
  private bufferStart: number;
  private inputCount = 0;
  private outputCount = 0;
  private freed = false;

  constructor(filter: StageFilter, pffft: Pffft) {
    if (filter.up !== 1 || !filter.table) throw new Error('the FFT stage does integer decimation with a tabulated filter');
    const m = filter.down;
    const { halfTaps, taps, table } = filter;
    this.m = m;
    this.pffft = pffft;
    // Output n reads x[M·n − H + 1 + k] with tap k: offset s = k − H + 1 = M·i + p.
    const iMin = Math.floor((1 - halfTaps) / m);
    const iMax = Math.floor((taps - halfTaps) / m);
    this.iMin = iMin;
    this.branchLength = iMax - iMin + 1;
    this.block = fftSize - this.branchLength + 1;

    const floats = (count: number): number => {
      const pointer = pffft._pffft_aligned_malloc(4 * count);
      if (!pointer) throw new Error('PFFFT could not allocate its buffers');
      return pointer;
    };
    this.setup = pffft._pffft_new_setup(fftSize, real);
    this.branchSpectra = floats(m * fftSize);
    this.stream = floats(fftSize);
    this.spectrum = floats(fftSize);
    this.sum = floats(fftSize);
    this.work = floats(fftSize);
    // Branch p as a causal filter c_p[j] = tap at i = iMax − j, zero-padded to F, then transformed.
    for (let p = 0; p < m; p++) {
      const branch = new Float32Array(fftSize);
      for (let k = 0; k < taps; k++) {
        const s = k - halfTaps + 1;
        const phase = ((s % m) + m) % m;
        if (phase !== p) continue;
        branch[iMax - (s - phase) / m] = table[k]!;
      }
      this.heap().set(branch, this.stream / 4);
      pffft._pffft_transform(this.setup, this.stream, this.branchSpectra + 4 * p * fftSize, this.work, forward);
    }

    // The signal is preceded by zeros back to where the first block starts reading (fresh memory is zero).
    this.bufferStart = m * iMin;
    this.bufferLength = -this.bufferStart;
    const capacity = 8 * m * fftSize;
    this.kernels = createSampleKernels(4 * (capacity + fftSize));
    const buffer = this.kernels?.buffer ?? new ArrayBuffer(4 * (capacity + fftSize));
    this.input = new Float32Array(buffer, 0, capacity);
    this.staging = new Float32Array(buffer, 4 * capacity, fftSize);
  }

  /** The heap view, fetched again each time: PFFFT's memory may grow (and replace the view) when it allocates. */
  private heap(): Float32Array {
    return this.pffft.HEAPF32;
  }

  /** Absolute input index where block b starts reading: M·(b·B + iMin). */
  private blockStart(b: number): number {
    return this.m * (b * this.block + this.iMin);
  }

  process(chunk: Float32Array): Float32Array {
    const out = new Float32Array(this.blocksReadyAfter(chunk.length) * this.block);
    let written = 0;
    for (let at = 0; at < chunk.length; ) {
      const count = Math.min(chunk.length - at, this.makeRoom());
      this.input.set(chunk.subarray(at, at + count), this.bufferLength);
      this.bufferLength += count;
      at += count;
      written = this.runBlocks(out, written);
    }
    this.inputCount += chunk.length;
    return out;
  }

  flush(): Float32Array {
    const total = Math.ceil(this.inputCount / this.m);
    const out = new Float32Array(Math.max(0, total - this.outputCount));
    let written = 0;
    while (written < out.length) {
      // Zeros after the end, up to what the next block reads.
      const needed = this.blockStart(this.blocksDone()) + this.m * fftSize - (this.bufferStart + this.bufferLength);
      const count = Math.min(Math.max(0, needed), this.makeRoom());
      this.input.fill(0, this.bufferLength, this.bufferLength + count);
      this.bufferLength += count;
      written = this.runBlocks(out, written);
    }
    this.free();
    return out;
  }

  /** Blocks complete once `more` input samples are added (block b needs inputs up to blockStart(b) + M·F). */
  private blocksReadyAfter(more: number): number {
    const available = this.bufferStart + this.bufferLength + more;
    const done = this.outputCount / this.block;
    return Math.max(0, Math.floor((available / this.m - this.iMin - fftSize) / this.block) + 1 - done);
  }

  private blocksDone(): number {
    return Math.floor(this.outputCount / this.block);
  }

  /** Drops the inputs no later block reads; returns the free room. */
  private makeRoom(): number {
    const keepFrom = this.blockStart(this.blocksDone()) - this.bufferStart;
    if (keepFrom > 0 && this.bufferLength + this.m * fftSize > this.input.length) {
      this.input.copyWithin(0, keepFrom, this.bufferLength);
      this.bufferLength -= keepFrom;
      this.bufferStart += keepFrom;
    }
    return this.input.length - this.bufferLength;
  }

  /** Runs every block the buffered input completes, writing its outputs into `out` from `written` (up to its end). */
  private runBlocks(out: Float32Array, written: number): number {
    const { m, block, pffft, setup } = this;
    const scale = 1 / fftSize;
    for (;;) {
      const b = this.blocksDone();
      const from = this.blockStart(b) - this.bufferStart;
      if (written >= out.length || from + m * fftSize > this.bufferLength) return written;
      this.pffft.HEAPF32.fill(0, this.sum / 4, this.sum / 4 + fftSize);
      for (let p = 0; p < m; p++) {
        // x_p[b·B + iMin + u] = x[M·(b·B + iMin + u) + p] for u < F.
        this.gather(from + p);
        this.pffft.HEAPF32.set(this.staging, this.stream / 4);
        pffft._pffft_transform(setup, this.stream, this.spectrum, this.work, forward);
        pffft._pffft_zconvolve_accumulate(setup, this.spectrum, this.branchSpectra + 4 * p * fftSize, this.sum, scale);
      }
      pffft._pffft_transform(setup, this.sum, this.stream, this.work, backward);
      // Outputs b·B … b·B + B − 1 are the linear (not wrapped) part: u = P − 1 … F − 1.
      const n = Math.min(block, out.length - written);
      const first = this.stream / 4 + this.branchLength - 1;
      out.set(this.pffft.HEAPF32.subarray(first, first + n), written);
      written += n;
      this.outputCount += n;
    }
  }

  /** staging[u] = input[start + M·u], u < F. */
  private gather(start: number): void {
    const { kernels, input, staging, m } = this;
    if (kernels) {
      kernels.gather(input.byteOffset + 4 * start, staging.byteOffset, fftSize, m);
      return;
    }
    for (let u = 0, at = start; u < fftSize; u++, at += m) staging[u] = input[at]!;
  }

  /** Releases the PFFFT buffers (after flush; the whole instance goes with the stage otherwise). */
  private free(): void {
    if (this.freed) return;
    this.freed = true;
    const { pffft } = this;
    for (const pointer of [this.branchSpectra, this.stream, this.spectrum, this.sum, this.work]) pffft._pffft_aligned_free(pointer);
    pffft._pffft_destroy_setup(this.setup);
  }
}
