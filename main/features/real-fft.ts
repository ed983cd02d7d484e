// Power spectrum of a real, windowed frame: an N-point real FFT done as one N/2-point complex FFT of the
// even/odd samples packed as re/im (packed straight into bit-reversed order, windowing on the way), then
// split into the N/2 + 1 bins of the real signal. All in float64.
import { ComplexFft } from './complex-fft';

export class RealPowerSpectrum {
  readonly size: number;
  private readonly half: number;
  readonly fft: ComplexFft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** cos and sin of 2πk/N, k = 0 … N/2 (the split's twiddles). */
  readonly cos: Float64Array;
  readonly sin: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 4 (got ${size})`);
    this.size = size;
    this.half = size / 2;
    this.fft = new ComplexFft(this.half);
    this.re = new Float64Array(this.half);
    this.im = new Float64Array(this.half);
    this.cos = new Float64Array(this.half + 1);
    this.sin = new Float64Array(this.half + 1);
    for (let k = 0; k <= this.half; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  /** Writes |X[k]|², k = 0 … N/2, of `samples[start … start + N) · window` into `power`. */
  compute(samples: ArrayLike<number>, start: number, window: Float64Array, power: Float64Array): void {
    const { re, im, half, cos, sin } = this;
    const order = this.fft.bitReversed;
    for (let n = 0, i = start, w = 0; n < half; n++, i += 2, w += 2) {
      // z[n] = x[2n] + i·x[2n+1], stored where the decimation-in-time FFT wants it.
      const to = order[n]!;
      re[to] = samples[i]! * window[w]!;
      im[to] = samples[i + 1]! * window[w + 1]!;
    }
    this.fft.transform(re, im);
    // X[k] = E + e^{−2πik/N}·O with E = (Z[k] + conj Z[M−k]) / 2 and O = (Z[k] − conj Z[M−k]) / 2i;
    // bins k and M − k share E and O (conjugated), so they are computed in pairs.
    const z0r = re[0]!;
    const z0i = im[0]!;
    power[0] = (z0r + z0i) * (z0r + z0i);
    power[half] = (z0r - z0i) * (z0r - z0i);
    for (let k = 1, b = half - 1; k <= b; k++, b--) {
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[b]!;
      const bi = im[b]!;
      const er = (ar + br) * 0.5;
      const ei = (ai - bi) * 0.5;
      const or = (ai + bi) * 0.5;
      const oi = (br - ar) * 0.5;
      const c = cos[k]!;
      const s = sin[k]!;
      // Bin k: E + W^k·O with W^k = c − i·s. Bin M − k: conj(E) + W^{M−k}·conj(O), W^{M−k} = −c − i·s.
      const xr = er + c * or + s * oi;
      const xi = ei + c * oi - s * or;
      power[k] = xr * xr + xi * xi;
      const yr = er - c * or - s * oi;
      const yi = -ei + c * oi - s * or;
      power[b] = yr * yr + yi * yi;
    }
  }
}
