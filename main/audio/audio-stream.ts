// What every decoder hands on: mono float32 chunks at the file's own rate, pulled one at a time so that a
// long file is never decoded whole unless the caller collects it.

export type AudioFormatName = 'wav' | 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus' | 'webm-opus';

export interface AudioStreamInfo {
  format: AudioFormatName;
  sampleRate: number;
  /** Channels in the file; chunks are always mono (channels averaged). */
  channels: number;
  /** Frames the container declares, when it does (a hint, not a promise). */
  declaredFrames?: number;
}

export interface AudioStream extends AudioStreamInfo {
  /** Mono chunks in order. Each chunk is a fresh array the consumer may keep. */
  chunks(): AsyncIterable<Float32Array>;
  close(): Promise<void>;
}

/** Averages channel arrays into one fresh mono array. */
export function downmixToMono(channelData: readonly Float32Array[], length?: number): Float32Array {
  const first = channelData[0];
  const n = length ?? first?.length ?? 0;
  if (!first) return new Float32Array(n);
  if (channelData.length === 1) return first.slice(0, n);
  const out = new Float32Array(n);
  const scale = 1 / channelData.length;
  for (const channel of channelData) for (let i = 0; i < n; i++) out[i] = out[i]! + channel[i]! * scale;
  return out;
}
