// Property-based fuzzing: whatever bytes arrive, decoding ends in audio of finite samples or a
// VoiceVaultError — never an uncaught or untyped exception.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isVoiceVaultError } from '../../shared/errors';
import { decodeAudioBytes } from './decode';
import { encodeWav } from './wav-writer';

async function decodesOrFailsTyped(bytes: Uint8Array): Promise<boolean> {
  try {
    const audio = await decodeAudioBytes(bytes, 'fuzz', { maxSeconds: 600, decoderStallMs: 1000 });
    return audio.samples.every(Number.isFinite) && audio.sampleRate > 0;
  } catch (error) {
    if (isVoiceVaultError(error)) return true;
    throw error;
  }
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const u16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** A RIFF/WAVE file assembled from arbitrary chunks, with plausible and implausible fmt fields. */
const wavLike = fc
  .record({
    riff: fc.constantFrom('RIFF', 'RF64', 'RIFX'),
    formatTag: fc.oneof(fc.constantFrom(1, 3, 0xfffe, 2, 0x55), fc.integer({ min: 0, max: 0xffff })),
    subTag: fc.constantFrom(1, 3, 7),
    channels: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 0xffff })),
    sampleRate: fc.oneof(fc.constantFrom(0, 1, 8000, 16000, 48000, 1e9), fc.integer({ min: 0, max: 0xffffffff })),
    bits: fc.oneof(fc.constantFrom(8, 16, 24, 32, 64), fc.integer({ min: 0, max: 0xffff })),
    blockAlignDelta: fc.oneof(fc.constant(0), fc.integer({ min: -4, max: 4 })),
    fmtSize: fc.oneof(fc.constantFrom(16, 18, 40), fc.integer({ min: 0, max: 0xffffffff })),
    dataSizeDelta: fc.oneof(fc.constant(0), fc.integer({ min: -64, max: 64 }), fc.constant(0x7fffffff)),
    extraChunks: fc.array(fc.record({ id: fc.constantFrom('LIST', 'fact', 'junk', 'data', 'fmt '), body: fc.uint8Array({ maxLength: 24 }) }), { maxLength: 3 }),
    data: fc.uint8Array({ maxLength: 512 }),
    truncateAt: fc.option(fc.integer({ min: 0, max: 700 })),
  })
  .map((w) => {
    const channels = w.channels;
    const blockAlign = Math.max(0, (channels * w.bits) / 8 + w.blockAlignDelta) & 0xffff;
    const fmtBody = [...u16(w.formatTag), ...u16(channels), ...u32(w.sampleRate), ...u32(w.sampleRate * blockAlign), ...u16(blockAlign), ...u16(w.bits)];
    if (w.formatTag === 0xfffe) fmtBody.push(...u16(22), ...u16(w.bits), ...u32(0), ...u16(w.subTag), ...new Array<number>(14).fill(0));
    const chunks: number[] = [];
    for (const chunk of w.extraChunks) chunks.push(...ascii(chunk.id), ...u32(chunk.body.length), ...chunk.body, ...(chunk.body.length & 1 ? [0] : []));
    const fmt = [...ascii('fmt '), ...u32(w.fmtSize === 16 || w.fmtSize === 18 || w.fmtSize === 40 ? fmtBody.length : w.fmtSize), ...fmtBody];
    const dataSize = Math.max(0, Math.min(0xffffffff, w.data.length + w.dataSizeDelta));
    const data = [...ascii('data'), ...u32(dataSize), ...w.data];
    const body = [...ascii('WAVE'), ...chunks, ...fmt, ...data];
    const bytes = Uint8Array.from([...ascii(w.riff), ...u32(body.length), ...body]);
    return w.truncateAt === null ? bytes : bytes.subarray(0, w.truncateAt);
  });

const validWav = encodeWav(
  [Array.from({ length: 400 }, (_, i) => Math.sin(i / 7) * 0.5), Array.from({ length: 400 }, (_, i) => Math.cos(i / 3) * 0.2)],
  { sampleFormat: 'pcm-s24', sampleRate: 22050, extensible: true },
);

/** A valid file with some bytes overwritten and possibly cut short. */
function mutationsOf(valid: Uint8Array) {
  return fc
    .record({
      edits: fc.array(fc.record({ at: fc.nat({ max: valid.length - 1 }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.nat({ max: valid.length })),
    })
    .map(({ edits, cut }) => {
      const bytes = valid.slice();
      for (const { at, value } of edits) bytes[at] = value;
      return cut === null ? bytes : bytes.subarray(0, cut);
    });
}

describe('WAV parser fuzzing', () => {
  it('survives 6,000 generated RIFF/WAVE structures', async () => {
    await fc.assert(fc.asyncProperty(wavLike, decodesOrFailsTyped), { numRuns: 6000 });
  });

  it('survives 3,000 mutations of a valid extensible 24-bit stereo WAV', async () => {
    await fc.assert(fc.asyncProperty(mutationsOf(validWav), decodesOrFailsTyped), { numRuns: 3000 });
  });

  it('survives 1,500 arbitrary byte strings, some behind a RIFF/WAVE prefix', async () => {
    const prefix = Uint8Array.from(ascii('RIFF\x24\x00\x00\x00WAVE'));
    const bytes = fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 256 })).map(([withPrefix, tail]) => {
      if (!withPrefix) return tail;
      const out = new Uint8Array(prefix.length + tail.length);
      out.set(prefix);
      out.set(tail, prefix.length);
      return out;
    });
    await fc.assert(fc.asyncProperty(bytes, decodesOrFailsTyped), { numRuns: 1500 });
  });
});

describe('other decoders under mutation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voicevault-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(dir, 'src.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', source, 'synth', '0.3', 'sine', '300', 'sine', '700', 'vol', '0.5']);
  // MP3 runs fewer: some mutations stall minimp3-wasm's glue, and each stall costs the watchdog's wait.
  const encoders: [string, string, string[], number][] = [
    ['FLAC', 'a.flac', ['flac', '-s', '-f', '-o', join(dir, 'a.flac'), source], 300],
    ['Ogg Vorbis', 'a.ogg', ['oggenc', '-Q', '-o', join(dir, 'a.ogg'), source], 150],
    ['Ogg Opus', 'a.opus', ['opusenc', '--quiet', source, join(dir, 'a.opus')], 150],
    ['WebM Opus', 'a.webm', ['ffmpeg', '-y', '-loglevel', 'error', '-i', source, '-c:a', 'libopus', join(dir, 'a.webm')], 150],
    ['MP3', 'a.mp3', ['ffmpeg', '-y', '-loglevel', 'error', '-i', source, '-c:a', 'libmp3lame', join(dir, 'a.mp3')], 60],
  ];
  for (const [label, name, command, runs] of encoders) {
    it(`${label}: ${runs} mutated files decode or fail typed`, async () => {
      execFileSync(command[0]!, command.slice(1), { stdio: 'pipe' });
      const valid = new Uint8Array(readFileSync(join(dir, name)));
      expect(await decodesOrFailsTyped(valid)).toBe(true);
      await fc.assert(fc.asyncProperty(mutationsOf(valid), decodesOrFailsTyped), { numRuns: runs });
    });
  }
});
