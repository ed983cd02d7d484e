// Streams a WAV from its source in blocks of whole frames: one block is converted while the next is read.
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
      const read = (offset: number): Promise<Uint8Array> | undefined => {
        if (offset >= end) return undefined;
        const pending = source.read(offset, Math.min(blockBytes, end - offset));
        // A consumer that stops early closes the file under this read: its failure is then nobody's concern.
        pending.catch(() => undefined);
        return pending;
      };
      // The next block is read while this one is converted and consumed, so the disk and the CPU overlap.
      let next = read(layout.dataOffset);
      for (let offset = layout.dataOffset; next; offset += blockBytes) {
        const bytes = await next;
        next = bytes.length === 0 ? undefined : read(offset + blockBytes);
        if (bytes.length === 0) break;
        yield wavFramesToMono(bytes, layout);
      }
    },
    close: () => source.close(),
  };
}
