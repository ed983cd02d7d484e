import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findPlaintextWindows, pcmForms } from './plaintext-windows';

describe('finding plaintext windows', () => {
  const secret = randomBytes(4096);

  it('finds a 32-byte window of a secret at any offset in a haystack', () => {
    for (const offset of [0, 1, 7, 15, 16, 17, 1000, 4064]) {
      const hay = Buffer.concat([randomBytes(333), secret.subarray(offset, offset + 32), randomBytes(100)]);
      const found = findPlaintextWindows([{ name: 's', bytes: secret }], [{ name: 'h', bytes: hay }]);
      expect(found, `offset ${offset}`).toEqual([{ secret: 's', haystack: 'h', offset: 333, length: 32 }]);
    }
  });

  it('ignores 31-byte fragments, unrelated bytes and runs of one repeated byte', () => {
    const hay = Buffer.concat([randomBytes(50), secret.subarray(100, 131), randomBytes(50), Buffer.alloc(256)]);
    const zeros = { name: 'silence', bytes: new Uint8Array(1024) };
    expect(findPlaintextWindows([{ name: 's', bytes: secret }, zeros], [{ name: 'h', bytes: hay }])).toEqual([]);
  });

  it('reports a long embedded run once, with its full length', () => {
    const hay = Buffer.concat([randomBytes(10), secret, randomBytes(10)]);
    expect(findPlaintextWindows([{ name: 's', bytes: secret }], [{ name: 'h', bytes: hay }])).toEqual([{ secret: 's', haystack: 'h', offset: 10, length: 4096 }]);
  });

  it('turns PCM into its float32 and int16 byte forms', () => {
    const [f32, i16] = pcmForms('take', Float32Array.from([0.5, -0.5, 1, -1]));
    expect(Array.from(new Float32Array(f32!.bytes.buffer))).toEqual([0.5, -0.5, 1, -1]);
    expect(Array.from(new Int16Array(i16!.bytes.buffer))).toEqual([16384, -16384, 32767, -32768]);
  });
});
