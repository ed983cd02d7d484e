// Streams a FLAC file frame by frame from its byte source, holding at most a few frames of input.
import { VoiceVaultError } from '../../shared/errors';
import type { AudioStream } from './audio-stream';
import type { ByteSource } from './byte-source';
import { NeedMoreData, decodeFlacFrame, parseFlacHeader } from './flac';

const readBlock = 1 << 20;
const maxHeaderBytes = 16 << 20;

export async function openFlacStream(source: ByteSource): Promise<AudioStream> {
  // Metadata (pictures included) is read until STREAMINFO and the first frame's offset are known.
  let head = await source.read(0, 64 * 1024);
  let parsed: ReturnType<typeof parseFlacHeader> | undefined;
  while (!parsed) {
    try {
      parsed = parseFlacHeader(head);
    } catch (error) {
      if (!(error instanceof NeedMoreData)) throw error;
      if (head.length >= source.size || head.length >= maxHeaderBytes) throw new VoiceVaultError('CorruptAudio', 'the FLAC metadata is truncated');
      head = await source.read(0, Math.min(head.length * 4, maxHeaderBytes));
    }
  }
  const { info, framesOffset } = parsed;
  return {
    format: 'flac',
    sampleRate: info.sampleRate,
    channels: info.channels,
    ...(info.totalSamples > 0 ? { declaredFrames: info.totalSamples } : {}),
    async *chunks() {
      let buffer = new Uint8Array(0);
      let bufferFileOffset = framesOffset;
      let at = 0;
      let decoded = 0;
      let eof = false;
      const more = async (): Promise<void> => {
        const next = await source.read(bufferFileOffset + buffer.length, readBlock);
        if (next.length === 0) {
          eof = true;
          return;
        }
        const joined = new Uint8Array(buffer.length - at + next.length);
        joined.set(buffer.subarray(at));
        joined.set(next, buffer.length - at);
        bufferFileOffset += at;
        buffer = joined;
        at = 0;
      };
      for (;;) {
        if (at >= buffer.length) {
          if (eof) break;
          await more();
          continue;
        }
        if (info.totalSamples > 0 && decoded >= info.totalSamples) break; // trailing tags (ID3v1 …)
        try {
          const frame = decodeFlacFrame(buffer, at, info);
          at += frame.bytes;
          decoded += frame.mono.length;
          yield frame.mono;
        } catch (error) {
          if (!(error instanceof NeedMoreData)) throw error;
          if (eof) throw new VoiceVaultError('CorruptAudio', 'the FLAC file ends in the middle of a frame (truncated file?)');
          await more();
        }
      }
      if (info.totalSamples > 0 && decoded < info.totalSamples) {
        throw new VoiceVaultError('CorruptAudio', `the FLAC file is truncated: ${decoded} of ${info.totalSamples} samples`);
      }
    },
    close: () => source.close(),
  };
}
