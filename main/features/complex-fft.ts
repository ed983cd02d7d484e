// In-place iterative complex FFT (decimation in time) on separate real and imaginary float64 arrays.
// Two radix-2 stages are done per pass (radix-2²), halving the passes over memory; the input is expected in
// bit-reversed order, which callers produce while they fill the arrays, so no separate permutation pass.

export class ComplexFft {
  readonly size: number;
  /** bitReversed[n] is where input sample n belongs. */
  readonly bitReversed: Int32Array;
  /** Whether a single radix-2 pass (pairs of adjacent samples, no twiddles) comes first. */
  readonly oddStage: boolean;
  /** Per stage pair: interleaved [w1.re, w1.im, w2.re, w2.im] for j = 0 … h − 1. */
  readonly twiddles: readonly Float64Array[];
  /** Per stage pair: its h (the pair combines blocks of h into blocks of 4h). */
  readonly halves: readonly number[];

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two (got ${size})`);
    this.size = size;
    const bits = Math.round(Math.log2(size));
    this.bitReversed = new Int32Array(size);
    for (let n = 0; n < size; n++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((n >> b) & 1) << (bits - 1 - b);
      this.bitReversed[n] = r;
    }
    this.oddStage = bits % 2 === 1;
    const twiddles: Float64Array[] = [];
    const halves: number[] = [];
    for (let h = this.oddStage ? 2 : 1; 4 * h <= size; h *= 4) {
      const table = new Float64Array(4 * h);
      for (let j = 0; j < h; j++) {
        table[4 * j] = Math.cos((-2 * Math.PI * j) / (2 * h));
        table[4 * j + 1] = Math.sin((-2 * Math.PI * j) / (2 * h));
        table[4 * j + 2] = Math.cos((-2 * Math.PI * j) / (4 * h));
        table[4 * j + 3] = Math.sin((-2 * Math.PI * j) / (4 * h));
      }
      twiddles.push(table);
      halves.push(h);
    }
    this.twiddles = twiddles;
    this.halves = halves;
  }

  /** Forward DFT, X[k] = Σ x[n]·e^{−2πikn/N}, of bit-reversed input, in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    if (this.oddStage) {
      for (let a = 0; a < n; a += 2) {
        const br = re[a + 1]!;
        const bi = im[a + 1]!;
        re[a + 1] = re[a]! - br;
        im[a + 1] = im[a]! - bi;
        re[a] = re[a]! + br;
        im[a] = im[a]! + bi;
      }
    }
    for (let s = 0; s < this.halves.length; s++) {
      const h = this.halves[s]!;
      const table = this.twiddles[s]!;
      const block = 4 * h;
      for (let base = 0; base < n; base += block) {
        for (let j = 0; j < h; j++) {
          const w1r = table[4 * j]!;
          const w1i = table[4 * j + 1]!;
          const w2r = table[4 * j + 2]!;
          const w2i = table[4 * j + 3]!;
          const a = base + j;
          const b = a + h;
          const c = b + h;
          const d = c + h;
          // Stage 1 (span 2h): (a, b) and (c, d) with W_{2h}^j.
          const ar = re[a]!;
          const ai = im[a]!;
          const xbr = re[b]!;
          const xbi = im[b]!;
          const tbr = xbr * w1r - xbi * w1i;
          const tbi = xbr * w1i + xbi * w1r;
          const cr = re[c]!;
          const ci = im[c]!;
          const xdr = re[d]!;
          const xdi = im[d]!;
          const tdr = xdr * w1r - xdi * w1i;
          const tdi = xdr * w1i + xdi * w1r;
          const a1r = ar + tbr;
          const a1i = ai + tbi;
          const b1r = ar - tbr;
          const b1i = ai - tbi;
          const c1r = cr + tdr;
          const c1i = ci + tdi;
          const d1r = cr - tdr;
          const d1i = ci - tdi;
          // Stage 2 (span 4h): (a, c) with W_{4h}^j, (b, d) with W_{4h}^{j+h} = −i·W_{4h}^j.
          const ucr = c1r * w2r - c1i * w2i;
          const uci = c1r * w2i + c1i * w2r;
          const vdr = d1r * w2r - d1i * w2i;
          const vdi = d1r * w2i + d1i * w2r;
          // −i·(vdr + i·vdi) = vdi − i·vdr
          re[a] = a1r + ucr;
          im[a] = a1i + uci;
          re[c] = a1r - ucr;
          im[c] = a1i - uci;
          re[b] = b1r + vdi;
          im[b] = b1i - vdr;
          re[d] = b1r - vdi;
          im[d] = b1i + vdr;
        }
      }
    }
  }
}
