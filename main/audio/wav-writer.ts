// Writes WAV bytes (PCM 8/16/24/32, float32/64, optionally WAVE_FORMAT_EXTENSIBLE): used to hand PCM to other
// tools, to make test fixtures and to generate long benchmark files block by block.
import type { WavSampleFormat } from './wav';

export interface WavEncoding {
  sampleFormat: WavSampleFormat;
  channels: number;
  sampleRate: number;
  extensible?: boolean;
}

const bytesPerSample: Record<WavSampleFormat, number> = {
  'pcm-u8': 1,
  'pcm-s16': 2,
  'pcm-s24': 3,
  'pcm-s32': 4,
  float32: 4,
  float64: 8,
};

/** The header of a WAV whose data chunk holds `frames` interleaved frames. */
export function encodeWavHeader(encoding: WavEncoding, frames: number): Uint8Array {
  const { sampleFormat, channels, sampleRate, extensible = false } = encoding;
  const sampleBytes = bytesPerSample[sampleFormat];
  const blockAlign = channels * sampleBytes;
  const dataBytes = frames * blockAlign;
  const fmtBytes = extensible ? 40 : 16;
  const header = new Uint8Array(12 + 8 + fmtBytes + 8);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  const tag = sampleFormat.startsWith('float') ? 3 : 1;
  ascii(0, 'RIFF');
  view.setUint32(4, 4 + 8 + fmtBytes + 8 + dataBytes + (dataBytes & 1), true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtBytes, true);
  view.setUint16(20, extensible ? 0xfffe : tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, sampleBytes * 8, true);
  if (extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(38, sampleBytes * 8, true);
    view.setUint32(40, 0, true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the tag, then 0000-0010-8000-00aa00389b71.
    const guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    view.setUint16(44, tag, true);
    header.set(guidTail, 46);
  }
  ascii(12 + 8 + fmtBytes, 'data');
  view.setUint32(12 + 8 + fmtBytes + 4, dataBytes, true);
  return header;
}

/** Interleaved samples (channel-major input: channels[c][i]) encoded as the data chunk's bytes. */
export function encodeWavSamples(channelData: readonly ArrayLike<number>[], sampleFormat: WavSampleFormat): Uint8Array {
  const channels = channelData.length;
  const frames = channelData[0]?.length ?? 0;
  const sampleBytes = bytesPerSample[sampleFormat];
  const out = new Uint8Array(frames * channels * sampleBytes);
  const view = new DataView(out.buffer);
  const clamp = (x: number): number => Math.max(-1, Math.min(1, x));
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, at += sampleBytes) {
      const x = channelData[c]![i]!;
      switch (sampleFormat) {
        case 'pcm-u8':
          view.setUint8(at, Math.max(0, Math.min(255, Math.round(clamp(x) * 128 + 128))));
          break;
        case 'pcm-s16':
          view.setInt16(at, Math.max(-32768, Math.min(32767, Math.round(clamp(x) * 32768))), true);
          break;
        case 'pcm-s24': {
          const v = Math.max(-8388608, Math.min(8388607, Math.round(clamp(x) * 8388608)));
          view.setUint8(at, v & 0xff);
          view.setUint8(at + 1, (v >> 8) & 0xff);
          view.setUint8(at + 2, (v >> 16) & 0xff);
          break;
        }
        case 'pcm-s32':
          view.setInt32(at, Math.max(-2147483648, Math.min(2147483647, Math.round(clamp(x) * 2147483648))), true);
          break;
        case 'float32':
          view.setFloat32(at, x, true);
          break;
        case 'float64':
          view.setFloat64(at, x, true);
          break;
      }
    }
  }
  return out;
}

export function encodeWav(channelData: readonly ArrayLike<number>[], encoding: Omit<WavEncoding, 'channels'>): Uint8Array {
  const full: WavEncoding = { ...encoding, channels: channelData.length };
  const header = encodeWavHeader(full, channelData[0]?.length ?? 0);
  const data = encodeWavSamples(channelData, encoding.sampleFormat);
  const out = new Uint8Array(header.length + data.length + (data.length & 1));
  out.set(header);
  out.set(data, header.length);
  return out;
}
