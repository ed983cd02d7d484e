// Entry points for decoding: pick the decoder from the file's first bytes, enforce the limits while samples
// flow, and turn every decoder failure into a VoiceVaultError with a code.
import { VoiceVaultError, isVoiceVaultError } from '../../shared/errors';
import type { AudioStream, AudioStreamInfo } from './audio-stream';
import { fileByteSource, memoryByteSource, type ByteSource } from './byte-source';
import { defaultDecodeLimits, type DecodeLimits } from './limits';
import { sniffContainer } from './sniff';

export interface DecodedAudio extends AudioStreamInfo {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
}

async function openContainer(source: ByteSource, limits: DecodeLimits): Promise<AudioStream> {
  if (source.size === 0) throw new VoiceVaultError('EmptyFile', 'the file is empty');
  const container = sniffContainer(await source.read(0, 64));
  switch (container) {
    case 'wav':
      return (await import('./wav-stream')).openWavStream(source);
    case 'flac':
      return (await import('./flac-stream')).openFlacStream(source);
    case 'mp3':
      return (await import('./mp3-stream')).openMp3Stream(source, { stallMs: limits.decoderStallMs ?? 10_000 });
    case 'ogg':
      return (await import('./ogg-stream')).openOggStream(source);
    case 'matroska':
      return (await import('./webm-stream')).openWebmStream(source);
  }
}

function asDecodeError(error: unknown): VoiceVaultError {
  if (isVoiceVaultError(error)) return error;
  if (error instanceof RangeError && /allocation|Array buffer|memory/i.test(error.message)) {
    return new VoiceVaultError('CorruptAudio', 'the file declares more audio than can be decoded', { cause: error });
  }
  // Decoder internals (wasm traps, parser exceptions) mean the bytes are not valid audio.
  return new VoiceVaultError('CorruptAudio', 'the audio data is corrupt and cannot be decoded', { cause: error });
}

/** Wraps a stream so that its chunks respect the limits and its errors carry codes. */
function guarded(stream: AudioStream, limits: DecodeLimits): AudioStream {
  const maxFrames = Math.floor(limits.maxSeconds * stream.sampleRate);
  if (stream.declaredFrames !== undefined && stream.declaredFrames > maxFrames) {
    throw new VoiceVaultError(
      'AudioTooLong',
      `the audio lasts ${(stream.declaredFrames / stream.sampleRate).toFixed(0)} s; at most ${limits.maxSeconds} s is accepted`,
    );
  }
  return {
    ...stream,
    async *chunks() {
      let frames = 0;
      try {
        for await (const chunk of stream.chunks()) {
          frames += chunk.length;
          if (frames > maxFrames) {
            throw new VoiceVaultError('AudioTooLong', `the audio lasts more than ${limits.maxSeconds} s, the most accepted`);
          }
          if (chunk.length > 0) yield chunk;
        }
      } catch (error) {
        throw asDecodeError(error);
      }
      if (frames === 0) throw new VoiceVaultError('EmptyFile', 'the file holds no audio samples');
    },
    close: () => stream.close(),
  };
}

/** Opens a decoder over `source`; the stream owns the source and closes it. */
export async function openAudioStream(source: ByteSource, limits: DecodeLimits = defaultDecodeLimits): Promise<AudioStream> {
  try {
    return guarded(await openContainer(source, limits), limits);
  } catch (error) {
    await source.close().catch(() => undefined);
    throw asDecodeError(error);
  }
}

export async function openAudioFile(path: string, limits: DecodeLimits = defaultDecodeLimits): Promise<AudioStream> {
  return openAudioStream(await fileByteSource(path), limits);
}

/** Decodes a whole stream into memory (short takes, tests). */
export async function collectAudioStream(stream: AudioStream): Promise<DecodedAudio> {
  try {
    const chunks: Float32Array[] = [];
    let total = 0;
    for await (const chunk of stream.chunks()) {
      chunks.push(chunk);
      total += chunk.length;
    }
    const samples = new Float32Array(total);
    let at = 0;
    for (const chunk of chunks) {
      samples.set(chunk, at);
      at += chunk.length;
    }
    const { format, sampleRate, channels } = stream;
    return { format, sampleRate, channels, samples };
  } finally {
    await stream.close().catch(() => undefined);
  }
}

export async function decodeAudioFile(path: string, limits: DecodeLimits = defaultDecodeLimits): Promise<DecodedAudio> {
  return collectAudioStream(await openAudioFile(path, limits));
}

export async function decodeAudioBytes(bytes: Uint8Array, name = 'buffer', limits: DecodeLimits = defaultDecodeLimits): Promise<DecodedAudio> {
  return collectAudioStream(await openAudioStream(memoryByteSource(bytes, name), limits));
}
