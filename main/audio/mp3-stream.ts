// MP3 via minimp3 (CC0) compiled to WebAssembly by the minimp3-wasm package (Apache-2.0). We drive its wasm
// exports directly (its JS loader fetches the .wasm by URL, which Node does not do for files). The compressed
// file is held in wasm memory; decoded audio comes out ten seconds at a time. A LAME/Xing "Info" tag, when
// present, gives the encoder delay and padding, which are trimmed so the audio starts and ends where the
// encoder's input did (as mpg123/ffmpeg do).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { id3v2Size, isMpegAudioHeader } from './sniff';

interface Minimp3Exports {
  memory: { buffer: ArrayBuffer };
  decoder_init(): void;
  decoder_set_mp3_data_size(size: number): void;
  decoder_mp3_data_offset(): number;
  decoder_mp3_data_size(): number;
  decoder_seek(seconds: number): void;
  decoder_decode(seconds: number): void;
  decoder_pcm_data_offset(): number;
  decode_results_num_samples(): number;
  decode_results_num_channels(): number;
  decode_results_sampling_rate(): number;
}

const maxMp3Bytes = 512 << 20;
const pieceSeconds = 10;
/** minimp3's synthesis delay, like every layer III decoder's. */
const decoderDelay = 529;

// The project's lib settings carry no WebAssembly typings; this is the part used here.
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: unknown }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: Promise<object> | undefined;
async function instantiate(): Promise<Minimp3Exports> {
  compiled ??= (async () => {
    const path = createRequire(import.meta.url).resolve('minimp3-wasm/dist/decoder.opt.wasm');
    return webAssembly.compile(await readFile(path));
  })();
  const instance = await webAssembly.instantiate(await compiled, {});
  return instance.exports as unknown as Minimp3Exports;
}

interface GaplessInfo {
  /** Samples (per channel) to drop at the start. */
  skip: number;
  /** Samples (per channel) to keep in all, when known. */
  total?: number;
}

/** Reads the Xing/Info + LAME tag of the first frame, if the file has one. */
export function readGaplessInfo(bytes: Uint8Array): GaplessInfo | undefined {
  let at = id3v2Size(bytes);
  const searchEnd = Math.min(bytes.length - 4, at + 64 * 1024);
  while (at < searchEnd && !isMpegAudioHeader(bytes, at)) at++;
  if (at >= searchEnd) return undefined;
  const b1 = bytes[at + 1]!;
  const b3 = bytes[at + 3]!;
  const mpeg1 = ((b1 >> 3) & 3) === 3;
  const layer3 = ((b1 >> 1) & 3) === 1;
  if (!layer3) return undefined;
  const mono = b3 >> 6 === 3;
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tag = at + 4 + sideInfo;
  const name = String.fromCharCode(...bytes.subarray(tag, tag + 4));
  if (name !== 'Xing' && name !== 'Info') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (tag + 8 > bytes.length) return undefined;
  const flags = view.getUint32(tag + 4, false);
  let cursor = tag + 8;
  let frames: number | undefined;
  if (flags & 1) {
    frames = view.getUint32(cursor, false);
    cursor += 4;
  }
  if (flags & 2) cursor += 4;
  if (flags & 4) cursor += 100;
  if (flags & 8) cursor += 4;
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  // The tag frame itself decodes as one frame of silence.
  let skip = samplesPerFrame;
  let total: number | undefined;
  if (cursor + 24 <= bytes.length) {
    const delay = (bytes[cursor + 21]! << 4) | (bytes[cursor + 22]! >> 4);
    const padding = ((bytes[cursor + 22]! & 0x0f) << 8) | bytes[cursor + 23]!;
    const encoder = String.fromCharCode(...bytes.subarray(cursor, cursor + 4));
    if (/^(LAME|Lavc|Lavf|L3.9|GOGO)/.test(encoder) || delay > 0 || padding > 0) {
      skip += delay + decoderDelay;
      if (frames !== undefined) total = Math.max(0, frames * samplesPerFrame - delay - padding);
    }
  }
  return total === undefined ? { skip } : { skip, total };
}

export async function openMp3Stream(source: ByteSource): Promise<AudioStream> {
  if (source.size > maxMp3Bytes) throw new VoiceVaultError('AudioTooLong', `the MP3 file is larger than ${maxMp3Bytes >> 20} MB`);
  const bytes = await source.read(0, source.size);
  const wasm = await instantiate();
  wasm.decoder_init();
  wasm.decoder_set_mp3_data_size(bytes.length);
  new Uint8Array(wasm.memory.buffer, wasm.decoder_mp3_data_offset(), wasm.decoder_mp3_data_size()).set(bytes);
  wasm.decoder_seek(0);
  const gapless = readGaplessInfo(bytes);

  const decodePiece = (): { mono: Float32Array; sampleRate: number; channels: number } => {
    wasm.decoder_decode(pieceSeconds);
    const count = wasm.decode_results_num_samples();
    const channels = wasm.decode_results_num_channels();
    const sampleRate = wasm.decode_results_sampling_rate();
    if (count === 0 || channels === 0) return { mono: new Float32Array(0), sampleRate, channels };
    const pcm = new Int16Array(wasm.memory.buffer, wasm.decoder_pcm_data_offset(), count);
    const frames = Math.floor(count / channels);
    const mono = new Float32Array(frames);
    const scale = 1 / (32768 * channels);
    for (let f = 0, at = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += pcm[at++]!;
      mono[f] = sum * scale;
    }
    return { mono, sampleRate, channels };
  };

  const first = decodePiece();
  if (first.mono.length === 0) throw new VoiceVaultError('CorruptAudio', 'no decodable MPEG audio frames were found');
  const sampleRate = first.sampleRate;
  return {
    format: 'mp3',
    sampleRate,
    channels: first.channels,
    ...(gapless?.total === undefined ? {} : { declaredFrames: gapless.total }),
    async *chunks() {
      let toSkip = gapless?.skip ?? 0;
      let remaining = gapless?.total ?? Infinity;
      let piece = first;
      while (piece.mono.length > 0 && remaining > 0) {
        if (piece.sampleRate !== sampleRate) throw new VoiceVaultError('CorruptAudio', 'the MP3 changes sample rate midway');
        let samples = piece.mono;
        if (toSkip > 0) {
          const dropped = Math.min(toSkip, samples.length);
          samples = samples.subarray(dropped);
          toSkip -= dropped;
        }
        if (samples.length > remaining) samples = samples.subarray(0, remaining);
        remaining -= samples.length;
        if (samples.length > 0) yield samples;
        piece = decodePiece();
      }
    },
    close: () => source.close(),
  };
}
