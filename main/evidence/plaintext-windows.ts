// Finds plaintext where only ciphertext may be: any window of `windowBytes` (32) consecutive bytes of a
// secret (PCM as int16 and float32, the source file, the plaintext features) inside a haystack (request
// bodies on the wire, files in the app's data directory).
//
// Any 32-byte common substring contains a whole 16-byte block aligned to a multiple of 16 in the secret,
// so indexing the secrets' aligned blocks and looking up every haystack position finds every window;
// each hit is then extended both ways and counted only if it reaches 32 bytes.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface PlaintextWindow {
  secret: string;
  haystack: string;
  /** Where the match starts in the haystack, and how long it is. */
  offset: number;
  length: number;
}

const block = 16;

function blockHash(bytes: Uint8Array, at: number): number {
  // FNV-1a over 16 bytes: cheap, and collisions are settled by the byte comparison below.
  let h = 0x811c9dc5;
  for (let i = 0; i < block; i++) h = Math.imul(h ^ bytes[at + i]!, 0x01000193);
  return h >>> 0;
}

/** A run of one repeated byte (digital silence, zero padding) says nothing about the content. */
function isUniform(bytes: Uint8Array, at: number): boolean {
  const first = bytes[at];
  for (let i = 1; i < block; i++) if (bytes[at + i] !== first) return false;
  return true;
}

export function findPlaintextWindows(secrets: readonly NamedBytes[], haystacks: readonly NamedBytes[], windowBytes = 32, maxFindings = 100): PlaintextWindow[] {
  const index = new Map<number, number[]>(); // hash → pairs of (secret index, aligned offset), flattened
  secrets.forEach(({ bytes }, s) => {
    for (let at = 0; at + block <= bytes.length; at += block) {
      if (isUniform(bytes, at)) continue;
      const h = blockHash(bytes, at);
      const list = index.get(h);
      if (list) list.push(s, at);
      else index.set(h, [s, at]);
    }
  });
  const findings: PlaintextWindow[] = [];
  for (const haystack of haystacks) {
    const hay = haystack.bytes;
    for (let p = 0; p + block <= hay.length && findings.length < maxFindings; p++) {
      const candidates = index.get(blockHash(hay, p));
      if (!candidates) continue;
      for (let c = 0; c < candidates.length; c += 2) {
        const secret = secrets[candidates[c]!]!.bytes;
        const o = candidates[c + 1]!;
        let before = 0;
        while (p - before - 1 >= 0 && o - before - 1 >= 0 && hay[p - before - 1] === secret[o - before - 1]) before++;
        let after = 0;
        while (p + after < hay.length && o + after < secret.length && hay[p + after] === secret[o + after]) after++;
        if (after < block) continue; // a hash collision, not the block
        if (before + after >= windowBytes) {
          findings.push({ secret: secrets[candidates[c]!]!.name, haystack: haystack.name, offset: p - before, length: before + after });
          p += after; // report each run once
          break;
        }
      }
    }
  }
  return findings;
}

/** The forms PCM takes on a wire or a disk: float32 and 16-bit integers, little-endian. */
export function pcmForms(name: string, samples: Float32Array): NamedBytes[] {
  const int16 = new Int16Array(samples.length);
  // The usual float → int16 conversion (Web Audio recorders, WAV writers): negative side × 32768.
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    int16[i] = Math.round(s < 0 ? s * 32768 : s * 32767);
  }
  return [
    { name: `${name} (float32 PCM)`, bytes: new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength).slice() },
    { name: `${name} (int16 PCM)`, bytes: new Uint8Array(int16.buffer) },
  ];
}

/** Every file under a directory, as haystacks (the app's data directory after an ingest). */
export async function filesUnder(dir: string): Promise<NamedBytes[]> {
  const out: NamedBytes[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push({ name: path, bytes: await readFile(path) });
  }
  return out;
}
