// MP3 via minimp3 (CC0) compiled to WebAssembly by the minimp3-wasm package (Apache-2.0). We drive its wasm
// exports directly, in a worker (its JS loader fetches the .wasm by URL, which Node does not do for files).
// The file is read and decoded a segment at a time (about 1 MB, cut at frame boundaries), so neither the
// compressed file nor its audio is ever whole in memory; minimp3 keeps its state (bit reservoir, overlap,
// filter bank) from one segment to the next, so the samples equal a decode of the whole file. A LAME/Xing
// "Info" tag, when present, gives the encoder delay and padding, which are trimmed so the audio starts and ends
// where the encoder's input did (as mpg123/ffmpeg do).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { id3v2Size, isMpegAudioHeader } from './sniff';

/** Bytes read and handed to the decoder at a time. */
export const mp3SegmentBytes = 1 << 20;
/** Free-format streams (no bitrate in the header) cannot be cut into frames here: they are decoded whole, up to this size. */
const maxFreeFormatBytes = 64 << 20;
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

const layer3Kbps = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const sampleRates = { mpeg1: [44100, 48000, 32000], mpeg2: [22050, 24000, 16000], mpeg25: [11025, 12000, 8000] };

/**
 * Length in bytes of the layer III frame whose header is at `at` (minimp3's own formula), 0 for a free-format
 * frame (no bitrate in the header), or undefined when no layer III header is there.
 */
export function layer3FrameBytes(bytes: Uint8Array, at: number): number | undefined {
  if (!isMpegAudioHeader(bytes, at)) return undefined;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (((b1 >> 1) & 3) !== 1) return undefined;
  const version = (b1 >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? layer3Kbps.mpeg1 : layer3Kbps.mpeg2)[b2 >> 4]!;
  if (kbps === 0) return 0;
  const rate = (mpeg1 ? sampleRates.mpeg1 : version === 2 ? sampleRates.mpeg2 : sampleRates.mpeg25)[(b2 >> 2) & 3]!;
  return Math.floor(((mpeg1 ? 144000 : 72000) * kbps) / rate) + ((b2 >> 1) & 1);
}

/**
 * The end of the last whole frame in `window` from `start`, walking frame headers; junk between frames (tags,
 * damage) is walked over byte by byte, as minimp3 skips it. Returns 0 when no whole frame ends in the window,
 * and -1 for a free-format stream.
 */
function lastFrameEnd(window: Uint8Array, start: number): number {
  let at = start;
  let end = 0;
  while (at + 4 <= window.length) {
    const length = layer3FrameBytes(window, at);
    if (length === 0) return -1;
    // A header counts when the next frame's header follows it (or the window ends first): a lone sync pattern
    // inside junk does not.
    if (length === undefined || (at + length + 4 <= window.length && layer3FrameBytes(window, at + length) === undefined)) {
      at++;
      continue;
    }
    if (at + length > window.length) break;
    at += length;
    end = at;
  }
  return end;
}

/** Reads the file in segments that end on frame boundaries, starting after any ID3v2 tag. */
class SegmentReader {
  private offset: number;
  private readonly source: ByteSource;
  private readonly segmentBytes: number;

  constructor(source: ByteSource, start: number, segmentBytes: number) {
    this.source = source;
    this.offset = start;
    this.segmentBytes = segmentBytes;
  }

  get done(): boolean {
    return this.offset >= this.source.size;
  }

  async next(): Promise<Uint8Array> {
    let length = this.segmentBytes;
    for (;;) {
      const window = await this.source.read(this.offset, length);
      const atEnd = this.offset + window.length >= this.source.size;
      let cut = atEnd ? window.length : lastFrameEnd(window, 0);
      if (cut < 0) {
        // Free format: no frame lengths to cut at, so the rest of the file goes to the decoder at once.
        const rest = this.source.size - this.offset;
        if (rest > maxFreeFormatBytes) throw new VoiceVaultError('AudioTooLong', `free-format MP3 files are decoded only up to ${maxFreeFormatBytes >> 20} MB`);
        if (rest > window.length) {
          length = rest;
          continue;
        }
        cut = window.length;
      }
      if (cut === 0) {
        // A frame longer than the window, or junk throughout it: widen the window (frames are at most a few KB).
        if (length >= 4 * this.segmentBytes) cut = window.length;
        else {
          length *= 2;
          continue;
        }
      }
      this.offset += cut;
      return window.slice(0, cut);
    }
  }
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
const { wasmPath, pieceSeconds } = workerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const e = instance.exports;
e.decoder_init();
// A new segment replaces the last one; decoder_set_mp3_data_size keeps the decoder's state (decoder_init would not).
const data = (bytes) => {
  e.decoder_set_mp3_data_size(bytes.length);
  new Uint8Array(e.memory.buffer, e.decoder_mp3_data_offset(), bytes.length).set(bytes);
};
const next = () => {
  e.decoder_decode(pieceSeconds);
  const count = e.decode_results_num_samples();
  const channels = e.decode_results_num_channels();
  const sampleRate = e.decode_results_sampling_rate();
  if (count === 0 || channels === 0) {
    parentPort.postMessage({ drained: true });
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
parentPort.on('message', (message) => (message === 'next' ? next() : data(message)));
`;

interface Piece {
  mono: Float32Array;
  sampleRate: number;
  channels: number;
}

/** Feeds segments to a decoding worker and pulls decoded pieces, one request at a time, stopping it if it stalls. */
class Mp3Worker {
  private readonly worker: Worker;
  private readonly stallMs: number;
  private failure: Error | undefined;
  private waiting: { resolve: (piece: Piece | null) => void; reject: (error: Error) => void } | undefined;

  constructor(stallMs: number) {
    const wasmPath = createRequire(import.meta.url).resolve('minimp3-wasm/dist/decoder.opt.wasm');
    this.stallMs = stallMs;
    this.worker = new Worker(workerSource, { eval: true, workerData: { wasmPath, pieceSeconds } });
    this.worker.on('message', (message: { drained?: boolean } & Partial<Piece>) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (message.drained) waiting?.resolve(null);
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

  /** Hands the decoder the next segment (the worker takes over its buffer). */
  feed(segment: Uint8Array): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(segment, [segment.buffer as ArrayBuffer]);
  }

  /** The next decoded piece of the current segment, or null once it is used up. */
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

/** Decoded pieces across segments: feeds the next segment whenever the worker has used up the last one. */
async function nextPiece(worker: Mp3Worker, segments: SegmentReader): Promise<Piece | null> {
  for (;;) {
    const piece = await worker.next();
    if (piece) return piece;
    if (segments.done) return null;
    worker.feed(await segments.next());
  }
}

export interface Mp3Options {
  /** A decoder that makes no progress for this long is stopped. */
  stallMs: number;
  /** Bytes per segment (tests use small ones to cross many segment boundaries). */
  segmentBytes?: number;
}

export async function openMp3Stream(source: ByteSource, options: Mp3Options): Promise<AudioStream> {
  const head = await source.read(0, 64 * 1024);
  const start = Math.min(id3v2Size(head), source.size);
  const gapless = readGaplessInfo(start > 0 ? await source.read(start, 64 * 1024) : head);
  const segments = new SegmentReader(source, start, options.segmentBytes ?? mp3SegmentBytes);
  const worker = new Mp3Worker(options.stallMs);
  let first: Piece | null;
  try {
    first = await nextPiece(worker, segments);
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
        while (piece && remaining > 0) {
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
          piece = remaining > 0 ? await nextPiece(worker, segments) : null;
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
