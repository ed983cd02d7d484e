// Byte sources: the read-ahead window returns exactly what direct reads return.
import { describe, expect, it } from 'vitest';
import { memoryByteSource, readAheadByteSource } from './byte-source';

describe('readAheadByteSource', () => {
  it('matches direct reads for any offset and length, across window boundaries', async () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31 + (i >> 7)) & 0xff);
    const direct = memoryByteSource(bytes);
    const cached = readAheadByteSource(memoryByteSource(bytes), 256);
    let seed = 9;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const offset = (seed % 10_400) - 200;
      const length = (seed >> 8) % (i % 10 === 0 ? 600 : 40);
      expect(Array.from(await cached.read(offset, length))).toEqual(Array.from(await direct.read(offset, length)));
    }
  });
});
