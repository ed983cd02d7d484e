// MP3 via minimp3 (CC0) compiled to WebAssembly by the minimp3-wasm package (Apache-2.0). We drive its wasm
// exports directly, in a worker (its JS loader fetches the .wasm by URL, which Node does not do for files).
// The compressed file is held in wasm memory; decoded audio comes out ten seconds at a time. A LAME/Xing "Info" tag, when
// present, gives the encoder delay and padding, which are trimmed so the audio starts and ends where the
// encoder's input did (as mpg123/ffmpeg do).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { id3v2Size, isMpegAudioHeader } from './sniff';

const maxMp3Bytes = 512 << 20;
const pieceSeconds = 10;
/** minimp3's synthesis delay, like every layer III decoder's. */
const decoderDelay = 529;

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

/**
 * The decoding loop, run in a worker thread: minimp3-wasm's C glue can spin forever on some corrupt input
 * (its decode pass never advances when a frame that counted in the first pass fails to parse), and a wasm
 * loop cannot be interrupted from the same thread. Plain JavaScript, so it runs under tsx, Vitest and the
 * bundled app alike.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { wasmPath, bytes, pieceSeconds } = workerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const e = instance.exports;
e.decoder_init();
e.decoder_set_mp3_data_size(bytes.length);
new Uint8Array(e.memory.buffer, e.decoder_mp3_data_offset(), e.decoder_mp3_data_size()).set(bytes);
e.decoder_seek(0);
const next = () => {
  e.decoder_decode(pieceSeconds);
  const count = e.decode_results_num_samples();
  const channels = e.decode_results_num_channels();
  const sampleRate = e.decode_results_sampling_rate();
  if (count === 0 || channels === 0) {
    parentPort.postMessage({ done: true });
    return;
  }
  const pcm = new Int16Array(e.memory.buffer, e.decoder_pcm_data_offset(), count);
  const frames = Math.floor(count / channels);
  const mono = new Float32Array(frames);
  const scale = 1 / (32768 * channels);
  for (let f = 0, at = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += pcm[at++];
    mono[f] = sum * scale;
  }
  parentPort.postMessage({ mono, sampleRate, channels }, [mono.buffer]);
};
parentPort.on('message', next);
`;

interface Piece {
  mono: Float32Array;
  sampleRate: number;
  channels: number;
}

/** Pulls decoded pieces from a worker, one request at a time, stopping it if it stalls. */
class Mp3Worker {
  private readonly worker: Worker;
  private readonly stallMs: number;
  private failure: Error | undefined;
  private waiting: { resolve: (piece: Piece | null) => void; reject: (error: Error) => void } | undefined;

  constructor(bytes: Uint8Array, stallMs: number) {
    const wasmPath = createRequire(import.meta.url).resolve('minimp3-wasm/dist/decoder.opt.wasm');
    this.stallMs = stallMs;
    this.worker = new Worker(workerSource, { eval: true, workerData: { wasmPath, bytes, pieceSeconds } });
    this.worker.on('message', (message: { done?: boolean } & Partial<Piece>) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (message.done) waiting?.resolve(null);
      else waiting?.resolve({ mono: message.mono!, sampleRate: message.sampleRate!, channels: message.channels! });
    });
    const fail = (error: Error): void => {
      this.failure = error;
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    this.worker.on('error', () => fail(new VoiceVaultError('CorruptAudio', 'the MP3 data is corrupt and cannot be decoded')));
    this.worker.on('exit', () => fail(new VoiceVaultError('CorruptAudio', 'the MP3 decoder stopped')));
  }

  async next(): Promise<Piece | null> {
    if (this.failure) throw this.failure;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<Piece | null>((resolve, reject) => {
        this.waiting = { resolve, reject };
        timer = setTimeout(() => {
          reject(new VoiceVaultError('CorruptAudio', 'the MP3 data is corrupt: the decoder stopped making progress'));
          void this.worker.terminate();
        }, this.stallMs);
        this.worker.postMessage('next');
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

export async function openMp3Stream(source: ByteSource, stallMs: number): Promise<AudioStream> {
  if (source.size > maxMp3Bytes) throw new VoiceVaultError('AudioTooLong', `the MP3 file is larger than ${maxMp3Bytes >> 20} MB`);
  const bytes = await source.read(0, source.size);
  const gapless = readGaplessInfo(bytes);
  const worker = new Mp3Worker(bytes, stallMs);
  let first: Piece | null;
  try {
    first = await worker.next();
  } catch (error) {
    await worker.stop();
    throw error;
  }
  if (!first || first.mono.length === 0) {
    await worker.stop();
    throw new VoiceVaultError('CorruptAudio', 'no decodable MPEG audio frames were found');
  }
  const sampleRate = first.sampleRate;
  const firstPiece = first;
  return {
    format: 'mp3',
    sampleRate,
    channels: firstPiece.channels,
    ...(gapless?.total === undefined ? {} : { declaredFrames: gapless.total }),
    async *chunks() {
      try {
        let toSkip = gapless?.skip ?? 0;
        let remaining = gapless?.total ?? Infinity;
        let piece: Piece | null = firstPiece;
        while (piece && piece.mono.length > 0 && remaining > 0) {
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
          piece = remaining > 0 ? await worker.next() : null;
        }
      } finally {
        await worker.stop();
      }
    },
    close: async () => {
      await worker.stop();
      await source.close();
    },
  };
}
