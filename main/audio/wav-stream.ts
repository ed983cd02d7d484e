// Streams a WAV from its source in blocks of whole frames, converting one while the next few are read.
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { createSampleKernels } from './sample-kernels';
import { parseWavHeader, wavFramesToMono, type WavLayout } from './wav';

const blockBytesTarget = 256 << 10;
const readsInFlight = 4;

export async function openWavStream(source: ByteSource): Promise<AudioStream> {
  const layout = await parseWavHeader(source);
  const blockBytes = Math.max(1, Math.floor(blockBytesTarget / layout.blockAlign)) * layout.blockAlign;
  return {
    format: 'wav',
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    declaredFrames: layout.frames,
    async *chunks() {
      const convert = converter(layout, blockBytes);
      const end = layout.dataOffset + layout.dataBytes;
      let nextOffset = layout.dataOffset;
      const inFlight: Promise<Uint8Array>[] = [];
      // Several blocks are read ahead while this one is converted and consumed, so the disk (and a busy
      // machine's I/O threads) and the CPU overlap.
      const readAhead = (): void => {
        while (inFlight.length < readsInFlight && nextOffset < end) {
          const pending = source.read(nextOffset, Math.min(blockBytes, end - nextOffset));
          // A consumer that stops early closes the file under these reads: their failure is then nobody's concern.
          pending.catch(() => undefined);
          inFlight.push(pending);
          nextOffset += blockBytes;
        }
      };
      readAhead();
      while (inFlight.length > 0) {
        const bytes = await inFlight.shift()!;
        if (bytes.length === 0) break;
        readAhead();
        yield convert(bytes);
      }
    },
    close: () => source.close(),
  };
}

/**
 * 16-bit mono and stereo (most files) convert in WebAssembly SIMD: the same values as wavFramesToMono, which
 * does every other layout, and this one where SIMD is missing.
 */
function converter(layout: WavLayout, blockBytes: number): (bytes: Uint8Array) => Float32Array {
  const { sampleFormat, channels, blockAlign } = layout;
  const kernels = sampleFormat === 'pcm-s16' && (channels === 1 || channels === 2) ? createSampleKernels(3 * blockBytes + 64) : undefined;
  if (!kernels) return (bytes) => wavFramesToMono(bytes, layout);
  const input = new Uint8Array(kernels.buffer, 0, blockBytes + 16);
  const outputOffset = Math.ceil((blockBytes + 16) / 16) * 16;
  return (bytes) => {
    const frames = Math.floor(bytes.length / blockAlign);
    input.set(bytes.subarray(0, frames * blockAlign));
    if (channels === 1) kernels.mono16(0, outputOffset, frames);
    else kernels.stereo16(0, outputOffset, frames);
    return new Float32Array(kernels.buffer, outputOffset, frames).slice();
  };
}
