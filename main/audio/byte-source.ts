// Random-access reads over a file or an in-memory buffer, so parsers read headers and stream data the same
// way from both, and never load a whole file they don't need.
import { open, type FileHandle } from 'node:fs/promises';
import { VoiceVaultError } from '../../shared/errors';

export interface ByteSource {
  /** Display name for error messages (a file name, never file contents). */
  readonly name: string;
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function memoryByteSource(bytes: Uint8Array, name = 'buffer'): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => {
      const start = Math.min(Math.max(0, offset), bytes.length);
      return bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, length)));
    },
    close: async () => undefined,
  };
}

export async function fileByteSource(path: string): Promise<ByteSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VoiceVaultError('FileNotFound', 'no such file', { cause: error });
    if (code === 'EISDIR') throw new VoiceVaultError('UnsupportedFormat', 'is a directory, not an audio file');
    throw new VoiceVaultError('FileNotFound', `cannot be opened (${code ?? 'unknown error'})`, { cause: error });
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new VoiceVaultError('UnsupportedFormat', 'is a directory, not an audio file');
  }
  return {
    name: path,
    size: stat.size,
    read: async (offset, length) => {
      const start = Math.min(Math.max(0, offset), stat.size);
      const wanted = Math.max(0, Math.min(length, stat.size - start));
      const buffer = new Uint8Array(wanted);
      let filled = 0;
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}

/**
 * Serves small reads from a cached window of `windowBytes`, for parsers that walk many tiny elements
 * (Matroska) and would otherwise make one system call per element. Closing it closes the source.
 */
export function readAheadByteSource(source: ByteSource, windowBytes = 1 << 20): ByteSource {
  let windowStart = 0;
  let window: Uint8Array = new Uint8Array(0);
  return {
    name: source.name,
    size: source.size,
    read: async (offset, length) => {
      const start = Math.min(Math.max(0, offset), source.size);
      const end = Math.min(source.size, start + Math.max(0, length));
      if (end - start > windowBytes) return source.read(start, end - start);
      if (start < windowStart || end > windowStart + window.length) {
        windowStart = start;
        window = await source.read(start, windowBytes);
      }
      return window.subarray(start - windowStart, end - windowStart);
    },
    close: () => source.close(),
  };
}
