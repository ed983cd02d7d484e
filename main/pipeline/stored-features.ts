// What a partition's feature tier stores (docs/security-model.md: features are biometric too): log-mel keeps the
// frame-level mel power, log-mel and MFCC; mfcc keeps only the MFCC frames; summary keeps utterance
// statistics of low-identity descriptors and no frame data at all.
import type { FeatureTier } from '../../shared/partition';
import { VoiceVaultError } from '../../shared/errors';
import { encodeSafetensors, melFeaturesToSafetensors, summaryToSafetensors, describeParameters, type FeatureExtraction, type FrameFeatureExtraction } from '../features';

export function storedFeatureBytes(extraction: FrameFeatureExtraction | FeatureExtraction, tier: FeatureTier): Uint8Array {
  const { features, parameters } = extraction;
  switch (tier) {
    case 'log-mel':
      return melFeaturesToSafetensors(features, parameters);
    case 'mfcc':
      return encodeSafetensors({
        metadata: {
          ...describeParameters(parameters, features.sampleRate),
          tier: 'mfcc',
          n_frames: String(features.nFrames),
          layout: 'frame-major [n_frames, n]',
        },
        tensors: { mfcc: { shape: [features.nFrames, features.nMfcc], data: features.mfcc } },
      });
    case 'summary':
      if (!('summary' in extraction)) throw new VoiceVaultError('Internal', 'The summary tier needs the summary descriptors, which were not computed.');
      return summaryToSafetensors(extraction.summary, parameters, features.sampleRate);
  }
}

/** A small picture of the take for the recorder: log-mel frames pooled to at most `maxFrames`, scaled 0–1. */
export function melPreview(extraction: FrameFeatureExtraction, maxFrames = 200): { frames: number; bands: number; values: number[] } {
  const { nFrames, nMels, logMelDb } = extraction.features;
  const frames = Math.min(maxFrames, nFrames);
  const values = new Array<number>(frames * nMels).fill(0);
  if (frames === 0) return { frames: 0, bands: nMels, values: [] };
  let max = -Infinity;
  for (let i = 0; i < logMelDb.length; i++) max = Math.max(max, logMelDb[i]!);
  const floor = max - 80;
  for (let f = 0; f < frames; f++) {
    const from = Math.floor((f * nFrames) / frames);
    const to = Math.max(from + 1, Math.floor(((f + 1) * nFrames) / frames));
    for (let b = 0; b < nMels; b++) {
      let sum = 0;
      for (let t = from; t < to; t++) sum += logMelDb[t * nMels + b]!;
      values[f * nMels + b] = Math.round(Math.min(1, Math.max(0, (sum / (to - from) - floor) / 80)) * 1000) / 1000;
    }
  }
  return { frames, bands: nMels, values };
}
