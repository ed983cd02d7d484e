// Every reference clip, for each preset it has, matches the torchaudio/librosa reference features
// (shared/reference in this repo): max |Δ| ≤ 2e-3 in log_mel_db and mfcc, and in mel_power max |Δ| ≤ 1e-4
// relative to the largest reference mel_power value of that clip and preset; same frame count.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio/decode';
import { computeMelFeatures } from './mel-spectrogram';
import { featurePresetParameters } from './presets';
import { featurePresets, type FeaturePreset } from '../../shared/partition';

const referenceDir = fileURLToPath(new URL('../../shared/reference', import.meta.url));

interface ReferenceConfig {
  n_fft: number;
  win_length: number;
  hop_length: number;
  n_mels: number;
  n_mfcc: number;
  f_max: number;
  n_frames: number;
  mel_power: number[][];
  log_mel_db: number[][];
  mfcc: number[][];
}

interface ReferenceFile {
  file: string;
  sample_rate: number;
  num_samples: number;
  decoded_first_16: number[];
  configs: Partial<Record<FeaturePreset, ReferenceConfig>>;
}

function maxAbsDifference(ours: Float32Array, reference: number[][]): number {
  let worst = 0;
  const width = reference[0]?.length ?? 0;
  reference.forEach((row, t) =>
    row.forEach((value, c) => {
      worst = Math.max(worst, Math.abs(ours[t * width + c]! - value));
    }),
  );
  return worst;
}

const references = readdirSync(join(referenceDir, 'features'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(referenceDir, 'features', name), 'utf8')) as ReferenceFile);

describe('reference features', () => {
  it('covers every reference clip', () => {
    expect(references.length).toBeGreaterThanOrEqual(7);
  });

  for (const reference of references) {
    describe(reference.file, () => {
      it('decodes to the reference samples (int16 / 32768)', async () => {
        const audio = await decodeAudioFile(join(referenceDir, 'audio', reference.file));
        expect(audio.sampleRate).toBe(reference.sample_rate);
        expect(audio.samples.length).toBe(reference.num_samples);
        expect(Array.from(audio.samples.subarray(0, 16))).toEqual(reference.decoded_first_16);
      });

      for (const preset of featurePresets) {
        const config = reference.configs[preset];
        if (!config) continue;
        it(`${preset}: matches mel_power, log_mel_db and mfcc`, async () => {
          const params = featurePresetParameters[preset];
          expect([params.nFft, params.winLength, params.hopLength, params.nMels, params.nMfcc]).toEqual([
            config.n_fft,
            config.win_length,
            config.hop_length,
            config.n_mels,
            config.n_mfcc,
          ]);
          const audio = await decodeAudioFile(join(referenceDir, 'audio', reference.file));
          const features = computeMelFeatures(audio.samples, audio.sampleRate, params);
          expect(features.nFrames).toBe(config.n_frames);
          const melMax = Math.max(...config.mel_power.flat());
          expect(maxAbsDifference(features.melPower, config.mel_power) / melMax).toBeLessThanOrEqual(1e-4);
          expect(maxAbsDifference(features.logMelDb, config.log_mel_db)).toBeLessThanOrEqual(2e-3);
          expect(maxAbsDifference(features.mfcc, config.mfcc)).toBeLessThanOrEqual(2e-3);
        });
      }
    });
  }
});
