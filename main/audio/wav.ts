// RIFF/WAVE (and RF64) parsing: walk the chunks to find the format and the data, then convert blocks of
// interleaved samples to mono float32 by averaging channels. Integer PCM scales like librosa and
// torchaudio: int16 / 32768, int24 / 2^23, int32 / 2^31, unsigned 8-bit (x − 128) / 128.
import { VoiceVaultError } from '../../shared/errors';
import type { ByteSource } from './byte-source';
import { maxChannels, maxSampleRate, minSampleRate } from './limits';

export type WavSampleFormat = 'pcm-u8' | 'pcm-s16' | 'pcm-s24' | 'pcm-s32' | 'float32' | 'float64';

export interface WavLayout {
  sampleFormat: WavSampleFormat;
  channels: number;
  sampleRate: number;
  /** Bytes per interleaved frame (one sample of every channel). */
  blockAlign: number;
  dataOffset: number;
  /** Whole frames' worth of data bytes (a trailing partial frame is dropped). */
  dataBytes: number;
  frames: number;
}

const waveFormatPcm = 0x0001;
const waveFormatFloat = 0x0003;
const waveFormatExtensible = 0xfffe;

const knownUnsupportedCodecs: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0x1600: 'AAC',
  0x1610: 'AAC',
  0x2000: 'AC-3',
  0x2001: 'DTS',
  0xf1ac: 'FLAC',
};

const maxChunksWalked = 4096;

function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function corrupt(message: string): VoiceVaultError {
  return new VoiceVaultError('CorruptAudio', message);
}

function sampleFormatOf(tag: number, bits: number): WavSampleFormat {
  if (tag === waveFormatPcm) {
    if (bits === 8) return 'pcm-u8';
    if (bits === 16) return 'pcm-s16';
    if (bits === 24) return 'pcm-s24';
    if (bits === 32) return 'pcm-s32';
    throw new VoiceVaultError('UnsupportedFormat', `WAV with ${bits}-bit integer samples is not supported (8, 16, 24 or 32)`);
  }
  if (tag === waveFormatFloat) {
    if (bits === 32) return 'float32';
    if (bits === 64) return 'float64';
    throw new VoiceVaultError('UnsupportedFormat', `WAV with ${bits}-bit float samples is not supported (32 or 64)`);
  }
  const codec = knownUnsupportedCodecs[tag];
  const named = codec ? `${codec} (format tag 0x${tag.toString(16).padStart(4, '0')})` : `format tag 0x${tag.toString(16).padStart(4, '0')}`;
  throw new VoiceVaultError('UnsupportedFormat', `WAV with ${named} audio is not supported; use PCM or float WAV, FLAC, MP3, Ogg or WebM`);
}

interface FormatChunk {
  sampleFormat: WavSampleFormat;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

function parseFormatChunk(body: Uint8Array): FormatChunk {
  if (body.length < 16) throw corrupt(`the WAV format chunk is ${body.length} bytes, too short`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let tag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const blockAlign = view.getUint16(12, true);
  const bits = view.getUint16(14, true);
  if (tag === waveFormatExtensible) {
    if (body.length < 40) throw corrupt('the WAV extensible format chunk is too short');
    // The sub-format GUID starts with the plain format tag.
    tag = view.getUint16(24, true);
  }
  if (channels === 0) throw new VoiceVaultError('InvalidAudioParameters', 'the WAV declares 0 channels');
  if (channels > maxChannels) throw new VoiceVaultError('InvalidAudioParameters', `the WAV declares ${channels} channels (at most ${maxChannels})`);
  if (sampleRate < minSampleRate || sampleRate > maxSampleRate) {
    throw new VoiceVaultError('InvalidAudioParameters', `the WAV declares a sample rate of ${sampleRate} Hz (accepted: ${minSampleRate}–${maxSampleRate})`);
  }
  const sampleFormat = sampleFormatOf(tag, bits);
  const expectedAlign = channels * (bits / 8);
  if (blockAlign !== expectedAlign) {
    throw new VoiceVaultError('InvalidAudioParameters', `the WAV block size is ${blockAlign} bytes, expected ${expectedAlign} for ${channels} × ${bits}-bit`);
  }
  return { sampleFormat, channels, sampleRate, blockAlign };
}

/** Reads the chunk list up to the data chunk. Throws VoiceVaultError for anything unusable. */
export async function parseWavHeader(source: ByteSource): Promise<WavLayout> {
  const head = await source.read(0, 12);
  if (head.length < 12) throw corrupt('the WAV header is truncated');
  const riff = fourCc(head, 0);
  if (riff === 'RIFX') throw new VoiceVaultError('UnsupportedFormat', 'big-endian WAV (RIFX) is not supported');
  if ((riff !== 'RIFF' && riff !== 'RF64') || fourCc(head, 8) !== 'WAVE') throw corrupt('not a RIFF/WAVE file');

  let format: FormatChunk | undefined;
  let rf64DataBytes: number | undefined;
  let offset = 12;
  for (let walked = 0; walked < maxChunksWalked; walked++) {
    const chunkHead = await source.read(offset, 8);
    if (chunkHead.length < 8) break;
    const id = fourCc(chunkHead, 0);
    const size = new DataView(chunkHead.buffer, chunkHead.byteOffset, 8).getUint32(4, true);
    const bodyOffset = offset + 8;
    if (id === 'fmt ') {
      if (size > 4096) throw corrupt(`the WAV format chunk declares ${size} bytes`);
      const body = await source.read(bodyOffset, size);
      if (body.length < size) throw corrupt('the WAV format chunk is truncated');
      format = parseFormatChunk(body);
    } else if (id === 'ds64' && riff === 'RF64') {
      const body = await source.read(bodyOffset, 24);
      if (body.length < 24) throw corrupt('the RF64 size chunk is truncated');
      const view = new DataView(body.buffer, body.byteOffset, 24);
      rf64DataBytes = Number(view.getBigUint64(8, true));
    } else if (id === 'data') {
      if (!format) throw corrupt('the WAV data chunk comes before its format chunk');
      const declared = size === 0xffffffff && rf64DataBytes !== undefined ? rf64DataBytes : size;
      const available = source.size - bodyOffset;
      if (declared > available) {
        throw corrupt(`the WAV data chunk declares ${declared} bytes but only ${Math.max(0, available)} follow (truncated file?)`);
      }
      const frames = Math.floor(declared / format.blockAlign);
      return { ...format, dataOffset: bodyOffset, dataBytes: frames * format.blockAlign, frames };
    }
    offset = bodyOffset + size + (size & 1);
    if (offset > source.size) break;
  }
  throw corrupt(format ? 'the WAV has no data chunk' : 'the WAV has no format chunk');
}

/**
 * Converts whole interleaved frames to mono float32, averaging channels. `bytes` must hold whole frames.
 * Non-finite float samples are rejected: they would poison every feature computed after them.
 */
/** 16-bit mono or stereo (most files) read through an Int16Array (WAV and every Node host are little-endian): the same values, several times faster. */
function pcm16ToMono(bytes: Uint8Array, channels: 1 | 2, frames: number): Float32Array {
  const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, frames * channels);
  const out = new Float32Array(frames);
  // Multiplying by 2^-15 gives exactly the quotient of dividing by 32768.
  const scale = 1 / 32768;
  if (channels === 1) {
    for (let f = 0; f < frames; f++) out[f] = pcm[f]! * scale;
  } else {
    for (let f = 0, at = 0; f < frames; f++, at += 2) out[f] = (pcm[at]! * scale + pcm[at + 1]! * scale) * 0.5;
  }
  return out;
}

export function wavFramesToMono(bytes: Uint8Array, layout: WavLayout): Float32Array {
  const { channels, blockAlign, sampleFormat } = layout;
  const frames = Math.floor(bytes.length / blockAlign);
  if (sampleFormat === 'pcm-s16' && (channels === 1 || channels === 2) && blockAlign === 2 * channels && bytes.byteOffset % 2 === 0) {
    return pcm16ToMono(bytes, channels, frames);
  }
  const out = new Float32Array(frames);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inverseChannels = 1 / channels;
  const sampleBytes = blockAlign / channels;
  let at = 0;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += sampleBytes) {
      switch (sampleFormat) {
        case 'pcm-u8':
          sum += (view.getUint8(at) - 128) / 128;
          break;
        case 'pcm-s16':
          sum += view.getInt16(at, true) / 32768;
          break;
        case 'pcm-s24': {
          const value = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
          sum += value / 8388608;
          break;
        }
        case 'pcm-s32':
          sum += view.getInt32(at, true) / 2147483648;
          break;
        case 'float32':
          sum += view.getFloat32(at, true);
          break;
        case 'float64':
          sum += view.getFloat64(at, true);
          break;
      }
    }
    const value = Math.fround(channels === 1 ? sum : sum * inverseChannels);
    if (!Number.isFinite(value)) {
      throw new VoiceVaultError('NonFiniteSamples', 'the WAV holds a non-finite sample (NaN or infinity, or beyond float32 range)');
    }
    out[f] = value;
  }
  return out;
}
