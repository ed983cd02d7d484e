// The anti-aliasing filter of one resampling stage: a Kaiser-windowed sinc at the exact rational ratio
// up/down of the stage's rates, split into `up` polyphase branches (one per fractional delay), each branch
// normalised to unit gain at DC.

export interface StageFilter {
  inputRate: number;
  outputRate: number;
  up: number;
  down: number;
  /** Half the filter length in input samples; output n reads inputs q − halfTaps + 1 … q + halfTaps, q = ⌊n·down/up⌋. */
  halfTaps: number;
  /** 2·halfTaps coefficients per branch. */
  taps: number;
  /** Branch p's coefficients at [p·taps, (p + 1)·taps), or null when there are too many to tabulate. */
  table: Float64Array | null;
  /** Writes branch `phase`'s coefficients into `into` at `at` (for filters without a table). */
  branch(phase: number, into: Float64Array, at: number): void;
}

/** Above this many coefficients, branches are computed when needed instead of tabulated (odd rate pairs). */
export const maxTableSize = 1 << 20;

export function gcd(a: number, b: number): number {
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

/** Kaiser's β for a stop-band attenuation in dB. */
function kaiserBeta(stopbandDb: number): number {
  return stopbandDb > 50 ? 0.1102 * (stopbandDb - 8.7) : 0.5842 * (stopbandDb - 21) ** 0.4 + 0.07886 * (stopbandDb - 21);
}

/**
 * A stage from `inputRate` to `outputRate` that keeps 0 … passbandHz flat and attenuates everything that would
 * land in 0 … protectHz after the stage by `stopbandDb`: its stop band starts at min(rates) − protectHz.
 */
export function designStage(inputRate: number, outputRate: number, passbandHz: number, protectHz: number, stopbandDb: number): StageFilter {
  const divisor = gcd(inputRate, outputRate);
  const up = outputRate / divisor;
  const down = inputRate / divisor;
  const stopHz = Math.min(inputRate, outputRate) - protectHz;
  // Frequencies in cycles per input sample.
  const transition = (stopHz - passbandHz) / inputRate;
  const cutoff = (passbandHz + stopHz) / 2 / inputRate;
  const beta = kaiserBeta(stopbandDb);
  const i0Beta = besselI0(beta);
  const length = (stopbandDb - 7.95) / (2.285 * 2 * Math.PI * transition);
  const halfTaps = Math.max(2, Math.ceil(length / 2));
  const taps = 2 * halfTaps;

  // h(t) = 2·fc·sinc(2·fc·t) · kaiser(t / halfTaps), t in input samples.
  const value = (t: number): number => {
    const ratio = t / halfTaps;
    if (ratio <= -1 || ratio >= 1) return 0;
    const x = 2 * cutoff * t;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    return 2 * cutoff * sinc * (besselI0(beta * Math.sqrt(1 - ratio * ratio)) / i0Beta);
  };
  const branch = (phase: number, into: Float64Array, at: number): void => {
    const fraction = phase / up;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      // Input q − halfTaps + 1 + k sits at distance fraction + halfTaps − 1 − k from the output's time.
      const v = value(fraction + halfTaps - 1 - k);
      into[at + k] = v;
      sum += v;
    }
    for (let k = 0; k < taps; k++) into[at + k] = into[at + k]! / sum;
  };
  let table: Float64Array | null = null;
  if (up * taps <= maxTableSize) {
    table = new Float64Array(up * taps);
    for (let phase = 0; phase < up; phase++) branch(phase, table, phase * taps);
  }
  return { inputRate, outputRate, up, down, halfTaps, taps, table, branch };
}

/**
 * The rates a conversion passes through. Halving first while the result stays well above the target
 * (48 → 24 → 16 kHz, 44.1 → 22.05 → 16 kHz) lets a short filter with a wide transition do the bulk of the
 * rate reduction, so the long, sharp filter runs at the lower rate: about 40% fewer multiplications.
 */
export function planRates(inputRate: number, outputRate: number): number[] {
  const rates = [inputRate];
  let rate = inputRate;
  while (rate % 2 === 0 && rate / 2 >= 1.25 * outputRate) {
    rate /= 2;
    rates.push(rate);
  }
  if (rate !== outputRate) rates.push(outputRate);
  return rates;
}
