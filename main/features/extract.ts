// The import pipeline's analysis stage: decode → quality report (at the file's rate) → resample to the
// preset's rate → mel/MFCC (and the summary tier), chunk by chunk so that a long file is never whole in memory.
import type { FeaturePreset } from '../../shared/partition';
import type { AudioStream, AudioStreamInfo } from '../audio/audio-stream';
import { openAudioFile } from '../audio/decode';
import { defaultDecodeLimits, type DecodeLimits } from '../audio/limits';
import { QualityAnalyzer, type QualityReport } from '../audio/quality';
import { Resampler } from '../audio/resample';
import { MelSpectrogramExtractor, type MelFeatures } from './mel-spectrogram';
import { featurePresetParameters, presetSampleRate, type FeatureParameters } from './presets';
import { SummaryAccumulator, type UtteranceSummary } from './summary';

export interface FeatureExtraction {
  preset: FeaturePreset;
  parameters: FeatureParameters;
  source: AudioStreamInfo;
  quality: QualityReport;
  features: MelFeatures;
  summary: UtteranceSummary;
}

export interface ExtractOptions {
  limits?: DecodeLimits;
}

/** Runs the whole analysis over a stream, consuming and closing it. */
export async function extractFeaturesFromStream(stream: AudioStream, preset: FeaturePreset): Promise<FeatureExtraction> {
  const parameters = featurePresetParameters[preset];
  const rate = presetSampleRate(parameters, stream.sampleRate);
  const resampler = rate === stream.sampleRate ? null : new Resampler(stream.sampleRate, rate);
  const expectedSamples = stream.declaredFrames === undefined ? 0 : Math.ceil((stream.declaredFrames * rate) / stream.sampleRate);
  const summary = new SummaryAccumulator(rate, parameters.nFft);
  const extractor = new MelSpectrogramExtractor(parameters, rate, { expectedSamples, onFrame: summary.observeFrame });
  const quality = new QualityAnalyzer(stream.sampleRate);
  const feed = (samples: Float32Array): void => {
    summary.countSamples(samples.length);
    extractor.push(samples);
  };
  try {
    for await (const chunk of stream.chunks()) {
      quality.push(chunk);
      feed(resampler ? resampler.process(chunk) : chunk);
    }
    if (resampler) feed(resampler.flush());
  } finally {
    await stream.close().catch(() => undefined);
  }
  const { format, sampleRate, channels, declaredFrames } = stream;
  const source: AudioStreamInfo = declaredFrames === undefined ? { format, sampleRate, channels } : { format, sampleRate, channels, declaredFrames };
  return {
    preset,
    parameters,
    source,
    quality: quality.finish(),
    features: extractor.finish(),
    summary: summary.finish(),
  };
}

export async function extractFeaturesFromFile(path: string, preset: FeaturePreset, options: ExtractOptions = {}): Promise<FeatureExtraction> {
  const stream = await openAudioFile(path, options.limits ?? defaultDecodeLimits);
  return extractFeaturesFromStream(stream, preset);
}
