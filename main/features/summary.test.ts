// The summary tier against librosa's own descriptors (feature.rms, zero_crossing_rate, spectral_centroid,
// spectral_rolloff, spectral_flatness), computed at test time in the Python reference environment, on every
// reference clip × preset, through the product path (extractFeaturesFromFile).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { featurePresets, type FeaturePreset } from '../../shared/partition';
import { extractFeaturesFromFile } from './extract';
import { featurePresetParameters } from './presets';
import { referencePythonForTests } from './reference-venv';
import { summaryDescriptors, summaryStatistics, type SummaryDescriptor, type SummaryStatistic } from './summary';

const referenceDir = fileURLToPath(new URL('../../shared/reference', import.meta.url));
const script = fileURLToPath(new URL('./librosa_descriptors.py', import.meta.url));

const cases = readdirSync(join(referenceDir, 'features'))
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => {
    const reference = JSON.parse(readFileSync(join(referenceDir, 'features', name), 'utf8')) as { file: string; configs: Partial<Record<FeaturePreset, unknown>> };
    return featurePresets.filter((preset) => reference.configs[preset]).map((preset) => ({ file: reference.file, preset }));
  });

type LibrosaSummary = Record<SummaryDescriptor, Record<SummaryStatistic | 'frames', number>>;

/**
 * Allowed |ours − librosa| per descriptor, beyond a relative 1e-4: librosa computes in float32 (its STFT is
 * complex64), we in float64. The rolloff is a bin frequency, so a float32 rounding can move one frame's value by
 * a bin; its statistics are allowed a quarter bin.
 */
function tolerance(descriptor: SummaryDescriptor, sampleRate: number, nFft: number): number {
  switch (descriptor) {
    case 'rms':
      return 1e-6;
    case 'zero_crossing_rate':
      return 1e-9;
    case 'spectral_centroid_hz':
      return 0.01;
    case 'spectral_rolloff_hz':
      return sampleRate / nFft / 4;
    case 'spectral_flatness':
      return 1e-5;
  }
}

describe('summary tier against librosa', () => {
  let librosa: LibrosaSummary[] | undefined;
  let missing = '';
  beforeAll(() => {
    const found = referencePythonForTests(['librosa', 'soundfile'], ['librosa', 'safetensors', 'numpy']);
    if (!('python' in found)) {
      missing = found.skip;
      return;
    }
    const specs = cases.map(({ file, preset }) => {
      const p = featurePresetParameters[preset];
      return { path: join(referenceDir, 'audio', file), n_fft: p.nFft, win_length: p.winLength, hop: p.hopLength };
    });
    librosa = JSON.parse(execFileSync(found.python, [script, JSON.stringify(specs)], { encoding: 'utf8', maxBuffer: 1 << 24 })) as LibrosaSummary[];
  }, 20 * 60_000);

  it('covers the 11 clip × preset cases', () => {
    expect(cases).toHaveLength(11);
  });

  cases.forEach(({ file, preset }, index) => {
    it(`${file}, ${preset}: rms, zero-crossing rate, centroid, rolloff and flatness statistics equal librosa's`, async (context) => {
      if (!librosa) return context.skip(`librosa is unavailable: ${missing}`);
      const theirs = librosa[index]!;
      const ours = await extractFeaturesFromFile(join(referenceDir, 'audio', file), preset);
      const { nFft } = featurePresetParameters[preset];
      const rate = ours.features.sampleRate;
      expect(ours.summary.nFrames).toBe(theirs.rms.frames);
      for (const descriptor of summaryDescriptors) {
        expect(theirs[descriptor].frames).toBe(ours.summary.nFrames);
        for (const statistic of summaryStatistics) {
          const expected = theirs[descriptor][statistic];
          const actual = ours.summary.descriptors[descriptor][statistic];
          const allowed = tolerance(descriptor, rate, nFft) + 1e-4 * Math.abs(expected);
          expect(Math.abs(actual - expected), `${descriptor} ${statistic}: ours ${actual}, librosa ${expected}`).toBeLessThanOrEqual(allowed);
        }
      }
    });
  });
});
