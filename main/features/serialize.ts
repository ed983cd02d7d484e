// Stored forms of features: safetensors (float32 tensors + a metadata string map) and JSON
// ({ preset, sample_rate, n_frames, mel_power, log_mel_db, mfcc }, frame-major arrays).
import { describeParameters, type FeatureParameters } from './presets';
import type { MelFeatures } from './mel-spectrogram';
import { encodeSafetensors } from './safetensors';
import { summaryDescriptors, summaryMatrix, summaryStatistics, type UtteranceSummary } from './summary';

function rows(data: Float32Array, width: number): number[][] {
  const out: number[][] = [];
  for (let at = 0; at < data.length; at += width) out.push(Array.from(data.subarray(at, at + width)));
  return out;
}

export function melFeaturesToSafetensors(features: MelFeatures, parameters: FeatureParameters): Uint8Array {
  const { nFrames, nMels, nMfcc } = features;
  return encodeSafetensors({
    metadata: { ...describeParameters(parameters, features.sampleRate), tier: 'frames', n_frames: String(nFrames), layout: 'frame-major [n_frames, n]' },
    tensors: {
      mel_power: { shape: [nFrames, nMels], data: features.melPower },
      log_mel_db: { shape: [nFrames, nMels], data: features.logMelDb },
      mfcc: { shape: [nFrames, nMfcc], data: features.mfcc },
    },
  });
}

export interface MelFeaturesJson {
  preset: string;
  version: string;
  sample_rate: number;
  n_frames: number;
  parameters: Record<string, string>;
  mel_power: number[][];
  log_mel_db: number[][];
  mfcc: number[][];
}

export function melFeaturesToJson(features: MelFeatures, parameters: FeatureParameters): MelFeaturesJson {
  const description = describeParameters(parameters, features.sampleRate);
  return {
    preset: parameters.preset,
    version: description.version!,
    sample_rate: features.sampleRate,
    n_frames: features.nFrames,
    parameters: description,
    mel_power: rows(features.melPower, features.nMels),
    log_mel_db: rows(features.logMelDb, features.nMels),
    mfcc: rows(features.mfcc, features.nMfcc),
  };
}

export function summaryToSafetensors(summary: UtteranceSummary, parameters: FeatureParameters, sampleRate: number): Uint8Array {
  return encodeSafetensors({
    metadata: {
      ...describeParameters(parameters, sampleRate),
      tier: 'summary',
      n_frames: String(summary.nFrames),
      duration_s: String(summary.durationSeconds),
      rows: summaryDescriptors.join(','),
      columns: summaryStatistics.join(','),
    },
    tensors: { summary: { shape: [summaryDescriptors.length, summaryStatistics.length], data: summaryMatrix(summary) } },
  });
}

export function summaryToJson(summary: UtteranceSummary, parameters: FeatureParameters, sampleRate: number): Record<string, unknown> {
  const description = describeParameters(parameters, sampleRate);
  return {
    preset: parameters.preset,
    version: description.version,
    tier: 'summary',
    sample_rate: sampleRate,
    n_frames: summary.nFrames,
    duration_s: summary.durationSeconds,
    parameters: description,
    // Rounded to float32 like the safetensors tensor, so both forms hold the same numbers.
    summary: Object.fromEntries(
      Object.entries(summary.descriptors).map(([name, stats]) => [
        name,
        Object.fromEntries(Object.entries(stats).map(([stat, value]) => [stat, Math.fround(value)])),
      ]),
    ),
  };
}

/** The JSON text of melFeaturesToJson in pieces of about one frame, for writing long clips without one huge string. */
export function* melFeaturesJsonPieces(features: MelFeatures, parameters: FeatureParameters): Generator<string> {
  const description = describeParameters(parameters, features.sampleRate);
  yield `{"preset":${JSON.stringify(parameters.preset)},"version":${JSON.stringify(description.version)},`;
  yield `"sample_rate":${features.sampleRate},"n_frames":${features.nFrames},"parameters":${JSON.stringify(description)}`;
  const tensors: [string, Float32Array, number][] = [
    ['mel_power', features.melPower, features.nMels],
    ['log_mel_db', features.logMelDb, features.nMels],
    ['mfcc', features.mfcc, features.nMfcc],
  ];
  for (const [name, data, width] of tensors) {
    yield `,"${name}":[`;
    for (let at = 0; at < data.length; at += width) {
      yield `${at === 0 ? '' : ','}${JSON.stringify(Array.from(data.subarray(at, at + width)))}`;
    }
    yield ']';
  }
  yield '}\n';
}
