// Opus packet decoding shared by Ogg Opus and WebM Opus: the OpusHead header (RFC 7845 §5.1) sets up
// libopus (opus-decoder, MIT; libopus is BSD), which applies the pre-skip; the caller trims the end.
import { OpusDecoder } from 'opus-decoder';
import { VoiceVaultError } from '../../shared/errors';
import { downmixToMono } from './audio-stream';

export interface OpusHead {
  channels: number;
  preSkip: number;
  inputSampleRate: number;
  mappingFamily: number;
  streamCount: number;
  coupledStreamCount: number;
  channelMapping: number[];
}

export const opusSampleRate = 48000;

export function parseOpusHead(packet: Uint8Array): OpusHead {
  const magic = String.fromCharCode(...packet.subarray(0, 8));
  if (magic !== 'OpusHead' || packet.length < 19) throw new VoiceVaultError('CorruptAudio', 'the Opus identification header is missing or short');
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const version = packet[8]!;
  if (version >> 4 !== 0) throw new VoiceVaultError('UnsupportedFormat', `Opus header version ${version} is not supported`);
  const channels = packet[9]!;
  if (channels === 0) throw new VoiceVaultError('InvalidAudioParameters', 'the Opus header declares 0 channels');
  const mappingFamily = packet[18]!;
  let streamCount = 1;
  let coupledStreamCount = channels > 1 ? 1 : 0;
  let channelMapping = channels > 1 ? [0, 1] : [0];
  if (mappingFamily !== 0) {
    if (packet.length < 21 + channels) throw new VoiceVaultError('CorruptAudio', 'the Opus channel mapping table is truncated');
    streamCount = packet[19]!;
    coupledStreamCount = packet[20]!;
    channelMapping = Array.from(packet.subarray(21, 21 + channels));
    if (streamCount === 0 || coupledStreamCount > streamCount) {
      throw new VoiceVaultError('InvalidAudioParameters', 'the Opus header declares an impossible stream layout');
    }
  } else if (channels > 2) {
    throw new VoiceVaultError('InvalidAudioParameters', `the Opus header declares ${channels} channels with mapping family 0`);
  }
  return {
    channels,
    preSkip: view.getUint16(10, true),
    inputSampleRate: view.getUint32(12, true),
    mappingFamily,
    streamCount,
    coupledStreamCount,
    channelMapping,
  };
}

/** Decodes Opus packets to mono 48 kHz, dropping the pre-skip at the start. */
export class OpusPacketDecoder {
  private readonly decoder: OpusDecoder;
  private constructor(decoder: OpusDecoder) {
    this.decoder = decoder;
  }

  static async create(head: OpusHead): Promise<OpusPacketDecoder> {
    const decoder = new OpusDecoder({
      channels: head.channels,
      streamCount: head.streamCount,
      coupledStreamCount: head.coupledStreamCount,
      channelMappingTable: head.channelMapping,
      preSkip: head.preSkip,
    });
    await decoder.ready;
    return new OpusPacketDecoder(decoder);
  }

  decode(packet: Uint8Array): Float32Array {
    const decoded = this.decoder.decodeFrame(packet);
    if (decoded.errors.length > 0) {
      throw new VoiceVaultError('CorruptAudio', `an Opus packet cannot be decoded (${decoded.errors[0]?.message ?? 'unknown error'})`);
    }
    return downmixToMono(decoded.channelData, decoded.samplesDecoded);
  }

  free(): void {
    this.decoder.free();
  }
}
