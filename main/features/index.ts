// Public surface of the feature stage.
export { extractFeaturesFromFile, extractFeaturesFromStream, type FeatureExtraction, type FrameFeatureExtraction, type ExtractOptions } from './extract';
export { MelSpectrogramExtractor, computeMelFeatures, type MelFeatures, type FrameObserver } from './mel-spectrogram';
export { featurePresetParameters, featureVersion, describeParameters, presetSampleRate, type FeatureParameters } from './presets';
export { SummaryAccumulator, summaryDescriptors, summaryStatistics, type UtteranceSummary } from './summary';
export { encodeSafetensors, decodeSafetensors, type SafetensorsFile, type Float32Tensor } from './safetensors';
export {
  melFeaturesToJson,
  melFeaturesJsonPieces,
  melFeaturesToSafetensors,
  summaryToJson,
  summaryToSafetensors,
  type MelFeaturesJson,
} from './serialize';
