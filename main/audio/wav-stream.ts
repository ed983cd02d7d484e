// Streams a WAV from its source in blocks of whole frames: only one block is in memory at a time.
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { parseWavHeader, wavFramesToMono } from './wav';

const blockBytesTarget = 1 << 20;

export async function openWavStream(source: ByteSource): Promise<AudioStream> {
  const layout = await parseWavHeader(source);
  const blockBytes = Math.max(1, Math.floor(blockBytesTarget / layout.blockAlign)) * layout.blockAlign;
  return {
    format: 'wav',
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    declaredFrames: layout.frames,
    async *chunks() {
      const end = layout.dataOffset + layout.dataBytes;
      for (let offset = layout.dataOffset; offset < end; offset += blockBytes) {
        const bytes = await source.read(offset, Math.min(blockBytes, end - offset));
        if (bytes.length === 0) break;
        yield wavFramesToMono(bytes, layout);
      }
    },
    close: () => source.close(),
  };
}
