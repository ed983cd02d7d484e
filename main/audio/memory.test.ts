// Long files decode in bounded memory, for every container: peak RSS is measured in a child process
// (memory-probe.ts) that streams a 3-minute and a 9-minute file of the same format; the six extra minutes are
// 69 MB of decoded audio, of which at most a third may show up as extra peak memory. And the MP3 decoder
// reads the file a segment at a time, never whole.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileByteSource, type ByteSource } from './byte-source';
import { openMp3Stream, mp3SegmentBytes } from './mp3-stream';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'voicevault-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rate = 48000;
const shortMinutes = 3;
const longMinutes = 9;
const extraDecodedMb = ((longMinutes - shortMinutes) * 60 * rate * 4) / (1 << 20);

const encoders: { format: string; extension: string; encode: (wav: string, out: string) => string[] }[] = [
  { format: 'wav', extension: 'wav', encode: (wav, out) => ['sox', wav, out] },
  { format: 'flac', extension: 'flac', encode: (wav, out) => ['flac', '-s', '-f', '-o', out, wav] },
  { format: 'mp3', extension: 'mp3', encode: (wav, out) => ['lame', '--quiet', '-b', '128', wav, out] },
  { format: 'ogg-vorbis', extension: 'ogg', encode: (wav, out) => ['oggenc', '-Q', '-q', '3', '-o', out, wav] },
  { format: 'ogg-opus', extension: 'opus', encode: (wav, out) => ['opusenc', '--quiet', '--bitrate', '48', wav, out] },
  { format: 'webm-opus', extension: 'webm', encode: (wav, out) => ['ffmpeg', '-y', '-loglevel', 'error', '-i', wav, '-c:a', 'libopus', '-b:a', '48k', '-f', 'webm', out] },
];

const path = (minutes: number, extension: string): string => join(dir, `${minutes}min.${extension}`);

beforeAll(() => {
  for (const minutes of [shortMinutes, longMinutes]) {
    const wav = join(dir, `${minutes}min-source.wav`);
    execFileSync('sox', ['-n', '-r', String(rate), '-c', '1', '-b', '16', wav, 'synth', String(minutes * 60), 'sine', '300', 'sine', '1200', 'vol', '0.3']);
    for (const { extension, encode } of encoders) {
      const [tool, ...args] = encode(wav, path(minutes, extension));
      execFileSync(tool!, args, { stdio: 'pipe' });
    }
  }
}, 600_000);

interface ProbeReport {
  format: string;
  frames: number;
  largestChunk: number;
  peakRssMb: number;
}

async function measure(file: string): Promise<ProbeReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', probe, file], { cwd: repoRoot, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ProbeReport;
}

describe('peak memory while decoding a long file (child process)', () => {
  for (const { format, extension } of encoders) {
    it(`${format}: 6 more minutes (${extraDecodedMb.toFixed(0)} MB decoded) add less than a third of that to the peak RSS`, async () => {
      const short = await measure(path(shortMinutes, extension));
      const long = await measure(path(longMinutes, extension));
      expect(long.format).toBe(format);
      expect(long.frames).toBe(longMinutes * 60 * rate);
      expect(long.largestChunk).toBeLessThanOrEqual(rate * 10);
      expect(long.peakRssMb - short.peakRssMb, `peak RSS ${short.peakRssMb.toFixed(0)} → ${long.peakRssMb.toFixed(0)} MB`).toBeLessThan(extraDecodedMb / 3);
    }, 300_000);
  }
});

describe('the MP3 decoder’s reads', () => {
  it('reads a 9-minute file in segments of about 1 MB, each byte about once, never the whole file', async () => {
    const file = path(longMinutes, 'mp3');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(6 * mp3SegmentBytes);
    const inner = await fileByteSource(file);
    const reads: number[] = [];
    const counting: ByteSource = {
      name: inner.name,
      size: inner.size,
      read: async (offset, length) => {
        const bytes = await inner.read(offset, length);
        reads.push(bytes.length);
        return bytes;
      },
      close: () => inner.close(),
    };
    const stream = await openMp3Stream(counting, { stallMs: 30_000 });
    let frames = 0;
    for await (const chunk of stream.chunks()) frames += chunk.length;
    await stream.close();
    expect(frames).toBe(longMinutes * 60 * rate);
    expect(Math.max(...reads)).toBeLessThanOrEqual(mp3SegmentBytes);
    const total = reads.reduce((a, b) => a + b, 0);
    // Each segment re-reads at most the one partial frame it cut off, plus the header reads at the start.
    expect(total).toBeLessThan(size * 1.01 + 256 * 1024);
    expect(total).toBeGreaterThanOrEqual(size);
  }, 120_000);
});
