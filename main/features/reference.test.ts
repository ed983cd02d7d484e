// Every reference clip, for each preset it has, matches the torchaudio/librosa reference features
// (shared/reference in this repo): max |Δ| ≤ 2e-3 in log_mel_db and mfcc, and in mel_power max |Δ| ≤ 1e-4
// relative to the largest reference mel_power value of that clip and preset; same frame count. Checked three
// ways: the in-memory kernel, the product path (extractFeaturesFromFile, what the CLI and the pipeline call),
// and the JSON file `voicevault features --out` streams, compared whole.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { featurePresets, type FeaturePreset } from '../../shared/partition';
import { decodeAudioFile } from '../audio/decode';
import type { CliIo } from '../cli/command';
import { featuresCommand } from '../cli/features-command';
import { extractFeaturesFromFile } from './extract';
import { computeMelFeatures, type MelFeatures } from './mel-spectrogram';
import { featurePresetParameters } from './presets';

const referenceDir = fileURLToPath(new URL('../../shared/reference', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'voicevault-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

function maxAbsDifference(ours: ArrayLike<number>, reference: number[][]): number {
  let worst = 0;
  const width = reference[0]?.length ?? 0;
  reference.forEach((row, t) =>
    row.forEach((value, c) => {
      worst = Math.max(worst, Math.abs(ours[t * width + c]! - value));
    }),
  );
  return worst;
}

function expectMatches(features: Pick<MelFeatures, 'nFrames' | 'melPower' | 'logMelDb' | 'mfcc'>, config: ReferenceConfig): void {
  expect(features.nFrames).toBe(config.n_frames);
  const melMax = Math.max(...config.mel_power.flat());
  expect(maxAbsDifference(features.melPower, config.mel_power) / melMax).toBeLessThanOrEqual(1e-4);
  expect(maxAbsDifference(features.logMelDb, config.log_mel_db)).toBeLessThanOrEqual(2e-3);
  expect(maxAbsDifference(features.mfcc, config.mfcc)).toBeLessThanOrEqual(2e-3);
}

const references = readdirSync(join(referenceDir, 'features'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(referenceDir, 'features', name), 'utf8')) as ReferenceFile);

const cases = references.flatMap((reference) =>
  featurePresets.filter((preset) => reference.configs[preset]).map((preset) => ({ reference, preset, config: reference.configs[preset]! })),
);
/** Cases that passed all three checks; the last test counts them. */
const passed = new Set<string>();

describe('reference features', () => {
  it('has 7 reference clips and 11 clip × preset cases (speech16k on the 16 kHz clips, librosa_default on all)', () => {
    expect(references).toHaveLength(7);
    expect(cases.map((c) => `${c.reference.file} ${c.preset}`).sort()).toEqual([
      'noise_16k.wav librosa_default',
      'noise_16k.wav speech16k',
      'silence_16k.wav librosa_default',
      'silence_16k.wav speech16k',
      'speech_de_22k.wav librosa_default',
      'speech_de_48k.wav librosa_default',
      'speech_en_16k.wav librosa_default',
      'speech_en_16k.wav speech16k',
      'speech_en_22k.wav librosa_default',
      'sweep_16k.wav librosa_default',
      'sweep_16k.wav speech16k',
    ]);
  });

  for (const reference of references) {
    it(`${reference.file}: decodes to the reference samples (int16 / 32768)`, async () => {
      const audio = await decodeAudioFile(join(referenceDir, 'audio', reference.file));
      expect(audio.sampleRate).toBe(reference.sample_rate);
      expect(audio.samples.length).toBe(reference.num_samples);
      expect(Array.from(audio.samples.subarray(0, 16))).toEqual(reference.decoded_first_16);
    });
  }

  for (const { reference, preset, config } of cases) {
    it(`${reference.file}, ${preset}: the kernel, extractFeaturesFromFile and the CLI's JSON match the reference`, async () => {
      const params = featurePresetParameters[preset];
      expect([params.nFft, params.winLength, params.hopLength, params.nMels, params.nMfcc]).toEqual([
        config.n_fft,
        config.win_length,
        config.hop_length,
        config.n_mels,
        config.n_mfcc,
      ]);
      const path = join(referenceDir, 'audio', reference.file);
      const audio = await decodeAudioFile(path);
      expectMatches(computeMelFeatures(audio.samples, audio.sampleRate, params), config);

      const product = await extractFeaturesFromFile(path, preset);
      expect(product.features.sampleRate).toBe(reference.sample_rate);
      expectMatches(product.features, config);

      const out = join(dir, `${reference.file}.${preset}.json`);
      const io: CliIo = { stdout: () => undefined, stderr: (text) => expect.fail(text), readStdin: async () => '' };
      expect(await featuresCommand([path, '--preset', preset, '--out', out], io)).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8')) as { n_frames: number; mel_power: number[][]; log_mel_db: number[][]; mfcc: number[][] };
      expect(json.mel_power).toHaveLength(config.n_frames);
      expectMatches(
        { nFrames: json.n_frames, melPower: json.mel_power.flat(), logMelDb: json.log_mel_db.flat(), mfcc: json.mfcc.flat() } as unknown as MelFeatures,
        config,
      );
      passed.add(`${reference.file} ${preset}`);
    });
  }

  it('ran and passed all 11 cases', () => {
    expect(passed.size).toBe(11);
  });
});
