// The `summary` tier: utterance-level statistics of low-identity descriptors, no frame-level data.
// Per frame (the preset's frames: centred, n_fft long, hop apart) each descriptor is librosa 0.11's own:
// - rms: feature.rms on the raw frame (zero padding at the ends, like pad_mode='constant');
// - zero_crossing_rate: feature.zero_crossing_rate, i.e. sign changes between neighbours over n_fft, with
//   |x| ≤ 1e-10 counted as positive and the ends padded by repeating the edge sample (so no crossings there);
// - spectral_centroid / spectral_rolloff (85%): on the Hann-windowed magnitude spectrum, in Hz;
// - spectral_flatness: on the power spectrum, floored at 1e-10.
// The statistics are the mean, the population std and numpy's linearly interpolated 10th/50th/90th percentiles.
import { percentile } from '../audio/quality';

export const summaryDescriptors = ['rms', 'zero_crossing_rate', 'spectral_centroid_hz', 'spectral_rolloff_hz', 'spectral_flatness'] as const;
export type SummaryDescriptor = (typeof summaryDescriptors)[number];

export const summaryStatistics = ['mean', 'std', 'p10', 'p50', 'p90'] as const;
export type SummaryStatistic = (typeof summaryStatistics)[number];

export interface UtteranceSummary {
  nFrames: number;
  durationSeconds: number;
  /** descriptor → statistic → value */
  descriptors: Record<SummaryDescriptor, Record<SummaryStatistic, number>>;
}

const rolloffFraction = 0.85;
const flatnessAmin = 1e-10;
const zeroCrossingThreshold = 1e-10;
/**
 * Floored powers multiplied before one logarithm: 16 factors in [1e-10, ~1e5] stay far inside float64's range,
 * and one log per 16 bins instead of per bin is most of the descriptors' cost.
 */
const productRun = 16;

/** Per-frame values of one descriptor, in a Float64Array that grows by doubling. */
class FrameValues {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

export class SummaryAccumulator {
  private readonly binHz: number;
  private readonly values: Record<SummaryDescriptor, FrameValues>;
  private readonly magnitude: Float64Array;
  private readonly sampleRate: number;
  private samplesSeen = 0;

  constructor(sampleRate: number, nFft: number) {
    this.sampleRate = sampleRate;
    this.binHz = sampleRate / nFft;
    this.magnitude = new Float64Array(nFft / 2 + 1);
    this.values = {
      rms: new FrameValues(),
      zero_crossing_rate: new FrameValues(),
      spectral_centroid_hz: new FrameValues(),
      spectral_rolloff_hz: new FrameValues(),
      spectral_flatness: new FrameValues(),
    };
  }

  /** Counts input samples (for the duration). */
  countSamples(n: number): void {
    this.samplesSeen += n;
  }

  /** A FrameObserver for MelSpectrogramExtractor. Several partial sums per loop keep the float pipeline busy. */
  readonly observeFrame = (samples: Float64Array, power: Float64Array, signalFrom: number, signalTo: number): void => {
    const n = samples.length;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const x0 = samples[i]!;
      const x1 = samples[i + 1]!;
      const x2 = samples[i + 2]!;
      const x3 = samples[i + 3]!;
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
    for (; i < n; i++) s0 += samples[i]! * samples[i]!;
    // Crossings between neighbours inside the signal; edge padding adds none.
    let crossings = 0;
    let previous = samples[signalFrom]! < -zeroCrossingThreshold ? 1 : 0;
    for (let j = signalFrom + 1; j < signalTo; j++) {
      const negative = samples[j]! < -zeroCrossingThreshold ? 1 : 0;
      crossings += negative ^ previous;
      previous = negative;
    }

    const { magnitude, binHz } = this;
    const bins = power.length;
    let magnitudeSum = 0;
    let weightedSum = 0;
    let powerSum = 0;
    let logPowerSum = 0;
    let product = 1;
    for (let k = 0; k < bins; k++) {
      const p = power[k]!;
      const m = Math.sqrt(p);
      magnitude[k] = m;
      magnitudeSum += m;
      weightedSum += m * k;
      const floored = p > flatnessAmin ? p : flatnessAmin;
      powerSum += floored;
      product *= floored;
      if ((k & (productRun - 1)) === productRun - 1) {
        logPowerSum += Math.log(product);
        product = 1;
      }
    }
    logPowerSum += Math.log(product);
    let rolloff = 0;
    if (magnitudeSum > 0) {
      const target = rolloffFraction * magnitudeSum;
      let cumulative = 0;
      for (let k = 0; k < bins; k++) {
        cumulative += magnitude[k]!;
        if (cumulative >= target) {
          rolloff = k * binHz;
          break;
        }
      }
    }
    const { values } = this;
    values.rms.push(Math.sqrt((s0 + s1 + s2 + s3) / n));
    values.zero_crossing_rate.push(crossings / n);
    values.spectral_centroid_hz.push(magnitudeSum > 0 ? (weightedSum * binHz) / magnitudeSum : 0);
    values.spectral_rolloff_hz.push(rolloff);
    values.spectral_flatness.push(Math.exp(logPowerSum / bins) / (powerSum / bins));
  };

  finish(): UtteranceSummary {
    const descriptors = {} as UtteranceSummary['descriptors'];
    for (const name of summaryDescriptors) descriptors[name] = statistics(this.values[name]);
    return { nFrames: this.values.rms.length, durationSeconds: this.samplesSeen / this.sampleRate, descriptors };
  }
}

function statistics(frames: FrameValues): Record<SummaryStatistic, number> {
  const values = frames.values.subarray(0, frames.length);
  if (values.length === 0) return { mean: 0, std: 0, p10: 0, p50: 0, p90: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sorted = values.slice().sort();
  return {
    mean,
    std: Math.sqrt(squares / values.length),
    p10: percentile(sorted, 10, true),
    p50: percentile(sorted, 50, true),
    p90: percentile(sorted, 90, true),
  };
}

/** Row-major [descriptor][statistic] matrix, the `summary` tensor. */
export function summaryMatrix(summary: UtteranceSummary): Float32Array {
  const out = new Float32Array(summaryDescriptors.length * summaryStatistics.length);
  summaryDescriptors.forEach((d, i) =>
    summaryStatistics.forEach((s, j) => {
      out[i * summaryStatistics.length + j] = summary.descriptors[d][s];
    }),
  );
  return out;
}
