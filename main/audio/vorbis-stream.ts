// Ogg Vorbis: our Ogg demuxer feeds packets to the libvorbis (BSD) WebAssembly build shipped in
// @wasm-audio-decoders/ogg-vorbis (MIT). That package's own front end parses Ogg with codec-parser, which is
// LGPL-3.0, so we drive its wasm module directly and never import codec-parser. The package version is pinned
// exactly: the wasm entry points used here (create_decoder, send_setup, init_dsp, decode_packets) are internal.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import type { OggPacket } from './ogg-demux';

interface TypedAllocation<T> {
  ptr: number;
  len: number;
  buf: T;
}

interface VorbisWasm {
  HEAP: ArrayBuffer;
  create_decoder(...pointers: number[]): number;
  destroy_decoder(decoder: number): void;
  send_setup(decoder: number, firstPage: boolean): void;
  init_dsp(decoder: number): void;
  decode_packets(decoder: number): void;
}

interface DecoderCommon {
  wasm: VorbisWasm;
  allocateTypedArray<T>(length: number, type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }): TypedAllocation<T>;
  codeToString(pointer: number): string;
  free(): void;
}

const inputCapacity = 128 * 1024;

async function loadVorbisWasm(): Promise<DecoderCommon> {
  const require = createRequire(import.meta.url);
  const packageIndex = require.resolve('@wasm-audio-decoders/ogg-vorbis');
  const emscripten = (await import(pathToFileURL(join(dirname(packageIndex), 'src', 'EmscriptenWasm.js')).href)) as { default: unknown };
  // The package's type declarations omit WASMAudioDecoderCommon, which its runtime exports.
  const { WASMAudioDecoderCommon } = (await import('@wasm-audio-decoders/common')) as unknown as {
    WASMAudioDecoderCommon: new () => { instantiate(emscripten: unknown): Promise<DecoderCommon> };
  };
  const common = new WASMAudioDecoderCommon();
  return common.instantiate(emscripten.default);
}

class VorbisPacketDecoder {
  private readonly common: DecoderCommon;
  private readonly decoder: number;
  private readonly input: TypedAllocation<Uint8Array>;
  private readonly inputLength: TypedAllocation<Uint32Array>;
  private readonly outputPointer: TypedAllocation<Uint32Array>;
  private readonly channels: TypedAllocation<Uint32Array>;
  private readonly sampleRate: TypedAllocation<Uint32Array>;
  private readonly samplesDecoded: TypedAllocation<Uint32Array>;
  private readonly errors: TypedAllocation<Uint32Array>;
  private readonly errorsLength: TypedAllocation<Int32Array>;
  private firstSetup = true;

  constructor(common: DecoderCommon) {
    this.common = common;
    this.input = common.allocateTypedArray(inputCapacity, Uint8Array);
    this.inputLength = common.allocateTypedArray(1, Uint32Array);
    this.outputPointer = common.allocateTypedArray(1, Uint32Array);
    this.channels = common.allocateTypedArray(1, Uint32Array);
    this.sampleRate = common.allocateTypedArray(1, Uint32Array);
    this.samplesDecoded = common.allocateTypedArray(1, Uint32Array);
    const maxErrors = 256;
    this.errors = common.allocateTypedArray(maxErrors, Uint32Array);
    this.errorsLength = common.allocateTypedArray(1, Int32Array);
    this.decoder = common.wasm.create_decoder(
      this.input.ptr,
      this.inputLength.ptr,
      this.outputPointer.ptr,
      this.channels.ptr,
      this.sampleRate.ptr,
      this.samplesDecoded.ptr,
      this.errors.ptr,
      this.errorsLength.ptr,
      maxErrors,
    );
  }

  private load(packet: Uint8Array): void {
    if (packet.length > inputCapacity) throw new VoiceVaultError('CorruptAudio', 'a Vorbis packet is implausibly large');
    this.input.buf.set(packet);
    this.inputLength.buf[0] = packet.length;
  }

  /** Identification then setup header; the comment header is skipped (libvorbis accepts an empty one). */
  sendHeader(packet: Uint8Array): void {
    this.load(packet);
    this.common.wasm.send_setup(this.decoder, this.firstSetup);
    this.firstSetup = false;
  }

  start(): { channels: number; sampleRate: number } {
    this.common.wasm.init_dsp(this.decoder);
    this.failOnErrors('setup');
    return { channels: this.channels.buf[0]!, sampleRate: this.sampleRate.buf[0]! };
  }

  decode(packet: Uint8Array): Float32Array {
    this.load(packet);
    this.common.wasm.decode_packets(this.decoder);
    this.failOnErrors('audio');
    const samples = this.samplesDecoded.buf[0]!;
    const channels = this.channels.buf[0]!;
    const mono = new Float32Array(samples);
    if (samples === 0 || channels === 0) return mono;
    const heap = this.common.wasm.HEAP;
    const channelPointers = new Uint32Array(heap, this.outputPointer.buf[0]!, channels);
    for (let c = 0; c < channels; c++) {
      const data = new Float32Array(heap, channelPointers[c]!, samples);
      for (let i = 0; i < samples; i++) mono[i] = mono[i]! + data[i]! / channels;
    }
    return mono;
  }

  private failOnErrors(stage: string): void {
    if ((this.errorsLength.buf[0] ?? 0) > 0) {
      const message = this.common.codeToString(this.errors.buf[0]!);
      this.errorsLength.buf[0] = 0;
      throw new VoiceVaultError('CorruptAudio', `the Vorbis ${stage} data cannot be decoded (${message})`);
    }
  }

  free(): void {
    this.common.wasm.destroy_decoder(this.decoder);
    this.common.free();
  }
}

function readIdentification(packet: Uint8Array): { channels: number; sampleRate: number } {
  if (packet.length < 30) throw new VoiceVaultError('CorruptAudio', 'the Vorbis identification header is short');
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const channels = packet[11]!;
  const sampleRate = view.getUint32(12, true);
  if (channels === 0) throw new VoiceVaultError('InvalidAudioParameters', 'the Vorbis header declares 0 channels');
  if (sampleRate < 1000 || sampleRate > 768000) {
    throw new VoiceVaultError('InvalidAudioParameters', `the Vorbis header declares a sample rate of ${sampleRate} Hz`);
  }
  return { channels, sampleRate };
}

export async function openVorbisStream(source: ByteSource, identification: OggPacket, rest: AsyncGenerator<OggPacket>): Promise<AudioStream> {
  const { channels, sampleRate } = readIdentification(identification.data);
  return {
    format: 'ogg-vorbis',
    sampleRate,
    channels,
    async *chunks() {
      const decoder = new VorbisPacketDecoder(await loadVorbisWasm());
      try {
        decoder.sendHeader(identification.data);
        let headers = 1;
        let emitted = 0;
        for await (const packet of rest) {
          if (headers < 3) {
            headers++;
            if (packet.data[0] === 5) {
              decoder.sendHeader(packet.data);
              decoder.start();
              headers = 3;
            } else if (packet.data[0] !== 3) {
              throw new VoiceVaultError('CorruptAudio', 'the Vorbis headers are missing or out of order');
            }
            continue;
          }
          let samples = decoder.decode(packet.data);
          if (packet.endOfStream && packet.granule >= 0n) {
            // The last page's granule position is the exact length in samples.
            samples = samples.subarray(0, Math.max(0, Math.min(samples.length, Number(packet.granule) - emitted)));
          }
          emitted += samples.length;
          yield samples;
        }
        if (headers < 3) throw new VoiceVaultError('CorruptAudio', 'the Vorbis stream ends inside its headers');
      } finally {
        decoder.free();
      }
    },
    close: () => source.close(),
  };
}
