// The `summary` tier: utterance-level statistics of low-identity descriptors, no frame-level data.
// Descriptors follow librosa's definitions on the preset's frames (centred, n_fft long, hop apart):
// rms and zero-crossing rate on the raw frame, spectral centroid / rolloff on the Hann-windowed magnitude
// spectrum, spectral flatness on the power spectrum.
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

export class SummaryAccumulator {
  private readonly sampleRate: number;
  private readonly nFft: number;
  private readonly values: Record<SummaryDescriptor, number[]>;
  private samplesSeen = 0;

  constructor(sampleRate: number, nFft: number) {
    this.sampleRate = sampleRate;
    this.nFft = nFft;
    this.values = Object.fromEntries(summaryDescriptors.map((d) => [d, [] as number[]])) as Record<SummaryDescriptor, number[]>;
  }

  /** Counts input samples (for the duration). */
  countSamples(n: number): void {
    this.samplesSeen += n;
  }

  /** A FrameObserver for MelSpectrogramExtractor. */
  readonly observeFrame = (samples: Float64Array, power: Float64Array): void => {
    let sumSquares = 0;
    let crossings = 0;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      sumSquares += x * x;
      if (i > 0 && x >= 0 !== samples[i - 1]! >= 0) crossings++;
    }
    let magnitudeSum = 0;
    let weightedSum = 0;
    let logPowerSum = 0;
    let powerSum = 0;
    const binHz = this.sampleRate / this.nFft;
    for (let k = 0; k < power.length; k++) {
      const p = power[k]!;
      const magnitude = Math.sqrt(p);
      magnitudeSum += magnitude;
      weightedSum += magnitude * k * binHz;
      const floored = p > flatnessAmin ? p : flatnessAmin;
      logPowerSum += Math.log(floored);
      powerSum += floored;
    }
    let rolloff = 0;
    if (magnitudeSum > 0) {
      const target = rolloffFraction * magnitudeSum;
      let cumulative = 0;
      for (let k = 0; k < power.length; k++) {
        cumulative += Math.sqrt(power[k]!);
        if (cumulative >= target) {
          rolloff = k * binHz;
          break;
        }
      }
    }
    this.values.rms.push(Math.sqrt(sumSquares / samples.length));
    this.values.zero_crossing_rate.push(crossings / samples.length);
    this.values.spectral_centroid_hz.push(magnitudeSum > 0 ? weightedSum / magnitudeSum : 0);
    this.values.spectral_rolloff_hz.push(rolloff);
    this.values.spectral_flatness.push(Math.exp(logPowerSum / power.length) / (powerSum / power.length));
  };

  finish(): UtteranceSummary {
    const descriptors = {} as UtteranceSummary['descriptors'];
    for (const name of summaryDescriptors) descriptors[name] = statistics(this.values[name]);
    return { nFrames: this.values.rms.length, durationSeconds: this.samplesSeen / this.sampleRate, descriptors };
  }
}

function statistics(values: readonly number[]): Record<SummaryStatistic, number> {
  if (values.length === 0) return { mean: 0, std: 0, p10: 0, p50: 0, p90: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return {
    mean,
    std: Math.sqrt(squares / values.length),
    p10: percentile(values, 10),
    p50: percentile(values, 50),
    p90: percentile(values, 90),
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
