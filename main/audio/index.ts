// Public surface of the audio stage: decoding, resampling and the quality report.
export type { AudioStream, AudioStreamInfo, AudioFormatName } from './audio-stream';
export { fileByteSource, memoryByteSource, type ByteSource } from './byte-source';
export { openAudioStream, openAudioFile, collectAudioStream, decodeAudioFile, decodeAudioBytes, type DecodedAudio } from './decode';
export { defaultDecodeLimits, type DecodeLimits } from './limits';
export { Resampler, resample, type ResamplerOptions } from './resample';
export { QualityAnalyzer, analyseQuality, checkQuality, percentile, type QualityReport, type QualityCheck } from './quality';
export { encodeWav, encodeWavHeader, encodeWavSamples, type WavEncoding } from './wav-writer';
