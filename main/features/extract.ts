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

/** The frame-level analysis: what every tier needs. */
export interface FrameFeatureExtraction {
  preset: FeaturePreset;
  parameters: FeatureParameters;
  source: AudioStreamInfo;
  quality: QualityReport;
  features: MelFeatures;
}

export interface FeatureExtraction extends FrameFeatureExtraction {
  summary: UtteranceSummary;
}

export interface ExtractOptions {
  limits?: DecodeLimits;
  /**
   * Whether to compute the summary tier's descriptors too (the default). They cost about as much again as the
   * mel spectrogram, so callers that store frame-level features only pass false.
   */
  summary?: boolean;
}

/** Runs the whole analysis over a stream, consuming and closing it. */
export async function extractFeaturesFromStream(stream: AudioStream, preset: FeaturePreset, options?: ExtractOptions & { summary?: true }): Promise<FeatureExtraction>;
export async function extractFeaturesFromStream(stream: AudioStream, preset: FeaturePreset, options: ExtractOptions & { summary: false }): Promise<FrameFeatureExtraction>;
export async function extractFeaturesFromStream(stream: AudioStream, preset: FeaturePreset, options?: ExtractOptions): Promise<FrameFeatureExtraction | FeatureExtraction>;
export async function extractFeaturesFromStream(
  stream: AudioStream,
  preset: FeaturePreset,
  options: ExtractOptions = {},
): Promise<FrameFeatureExtraction | FeatureExtraction> {
  const parameters = featurePresetParameters[preset];
  const rate = presetSampleRate(parameters, stream.sampleRate);
  const resampler = rate === stream.sampleRate ? null : await Resampler.create(stream.sampleRate, rate);
  const expectedSamples = stream.declaredFrames === undefined ? 0 : Math.ceil((stream.declaredFrames * rate) / stream.sampleRate);
  const summary = options.summary === false ? null : new SummaryAccumulator(rate, parameters.nFft);
  const extractor = new MelSpectrogramExtractor(parameters, rate, summary ? { expectedSamples, onFrame: summary.observeFrame } : { expectedSamples });
  const quality = new QualityAnalyzer(stream.sampleRate);
  const feed = (samples: Float32Array): void => {
    summary?.countSamples(samples.length);
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
  const frames: FrameFeatureExtraction = { preset, parameters, source, quality: quality.finish(), features: extractor.finish() };
  return summary ? { ...frames, summary: summary.finish() } : frames;
}

export async function extractFeaturesFromFile(path: string, preset: FeaturePreset, options?: ExtractOptions & { summary?: true }): Promise<FeatureExtraction>;
export async function extractFeaturesFromFile(path: string, preset: FeaturePreset, options: ExtractOptions & { summary: false }): Promise<FrameFeatureExtraction>;
export async function extractFeaturesFromFile(path: string, preset: FeaturePreset, options?: ExtractOptions): Promise<FrameFeatureExtraction | FeatureExtraction>;
export async function extractFeaturesFromFile(path: string, preset: FeaturePreset, options: ExtractOptions = {}): Promise<FrameFeatureExtraction | FeatureExtraction> {
  const stream = await openAudioFile(path, options.limits ?? defaultDecodeLimits);
  return extractFeaturesFromStream(stream, preset, options);
}
