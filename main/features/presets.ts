// The two stored-feature presets, with the parameters of shared/reference/features/*.json.
// The training side recomputes these with librosa/torchaudio, so every number here is part of a contract.
import type { FeaturePreset } from '../../shared/partition';

export interface FeatureParameters {
  preset: FeaturePreset;
  /** The rate features are computed at; null keeps the file's own rate. */
  sampleRate: number | null;
  nFft: number;
  winLength: number;
  hopLength: number;
  nMels: number;
  fMin: number;
  /** Upper mel edge in Hz; null means the Nyquist frequency of the rate used. */
  fMax: number | null;
  nMfcc: number;
  /** Dynamic range kept by log_mel_db, relative to the loudest value of the whole clip. */
  topDb: number;
  /** Floor of the power before the logarithm. */
  amin: number;
}

/** Bumped whenever anything that changes stored values changes. */
export const featureVersion = '1';

export const featurePresetParameters: Readonly<Record<FeaturePreset, FeatureParameters>> = {
  speech16k: {
    preset: 'speech16k',
    sampleRate: 16000,
    nFft: 512,
    winLength: 400,
    hopLength: 160,
    nMels: 40,
    fMin: 0,
    fMax: 8000,
    nMfcc: 13,
    topDb: 80,
    amin: 1e-10,
  },
  librosa_default: {
    preset: 'librosa_default',
    sampleRate: null,
    nFft: 2048,
    winLength: 2048,
    hopLength: 512,
    nMels: 128,
    fMin: 0,
    fMax: null,
    nMfcc: 20,
    topDb: 80,
    amin: 1e-10,
  },
};

/** The rate a preset computes at for a file of `fileRate`. */
export function presetSampleRate(params: FeatureParameters, fileRate: number): number {
  return params.sampleRate ?? fileRate;
}

/** The upper mel edge a preset uses at `sampleRate`. */
export function presetFMax(params: FeatureParameters, sampleRate: number): number {
  return params.fMax ?? sampleRate / 2;
}

/** The fixed description written next to stored features (safetensors metadata, JSON). */
export function describeParameters(params: FeatureParameters, sampleRate: number): Record<string, string> {
  return {
    preset: params.preset,
    version: featureVersion,
    sample_rate: String(sampleRate),
    n_fft: String(params.nFft),
    win_length: String(params.winLength),
    hop_length: String(params.hopLength),
    n_mels: String(params.nMels),
    f_min: String(params.fMin),
    f_max: String(presetFMax(params, sampleRate)),
    n_mfcc: String(params.nMfcc),
    window: 'hann (periodic)',
    center: 'true',
    pad_mode: 'constant',
    mel_scale: 'slaney',
    mel_norm: 'slaney',
    power: '2.0',
    db: `10*log10(max(S,${params.amin})), ref 1.0, top_db ${params.topDb} over the whole clip`,
    dct: 'type 2, orthonormal',
  };
}
