// One test per input format, with fixtures made at test time by Debian's sox, flac, lame, vorbis-tools,
// opus-tools and ffmpeg from the same source: every decoder must give back that source (exactly for
// lossless formats; for lossy ones at the same level, RMS within 1 dB, and the same waveform by correlation)
// at the right rate and length.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile, type DecodedAudio } from './decode';
import { bestCorrelation, interopFixtures, rmsDb } from './interop-fixtures';
import { resample } from './resample';

const dir = mkdtempSync(join(tmpdir(), 'voicevault-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clusterId = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);
const run = (tool: string, args: string[]): void => {
  execFileSync(tool, args, { stdio: 'pipe' });
};
const ffmpeg = (args: string[]): void => run('ffmpeg', ['-y', '-loglevel', 'error', ...args]);

let source: DecodedAudio;
const stereo = join(dir, 'source.wav');

beforeAll(async () => {
  // 2 s of stereo: a different tone per channel plus a quiet noise bed, 44.1 kHz 16-bit.
  run('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', stereo, 'synth', '2', 'sine', '440', 'sine', '1250', 'vol', '0.5']);
  source = await decodeAudioFile(stereo);
});

function correlation(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function expectLike(decoded: DecodedAudio, expected: Float32Array, minCorrelation: number): void {
  expect(decoded.samples.length).toBe(expected.length);
  expect(Math.abs(rmsDb(decoded.samples) - rmsDb(expected))).toBeLessThanOrEqual(1);
  expect(correlation(decoded.samples, expected)).toBeGreaterThan(minCorrelation);
}

describe('input formats', () => {
  it('WAV (sox, 16-bit stereo → mono average)', () => {
    expect(source.format).toBe('wav');
    expect(source.channels).toBe(2);
    expect(source.samples).toHaveLength(88200);
  });

  it('FLAC (flac --best, stereo decorrelation): bit-exact', async () => {
    const path = join(dir, 'a.flac');
    run('flac', ['-s', '-f', '--best', '-o', path, stereo]);
    const audio = await decodeAudioFile(path);
    expect(audio).toMatchObject({ format: 'flac', sampleRate: 44100, channels: 2 });
    expect(audio.samples).toEqual(source.samples);
  });

  it('FLAC at 24 bits, 6 channels and every compression level: bit-exact', async () => {
    const wav = join(dir, 'six.wav');
    run('sox', ['-n', '-r', '48000', '-c', '6', '-b', '24', wav, 'synth', '0.3', 'sine', '300', 'sine', '500', 'sine', '700', 'sine', '900', 'pinknoise', 'sine', '80']);
    const expected = await decodeAudioFile(wav);
    for (const level of ['-0', '-5', '-8']) {
      const path = join(dir, `six${level}.flac`);
      run('flac', ['-s', '-f', level, '-o', path, wav]);
      expect((await decodeAudioFile(path)).samples).toEqual(expected.samples);
    }
  });

  it('MP3 (ffmpeg/LAME): gapless length and the source waveform', async () => {
    const path = join(dir, 'a.mp3');
    ffmpeg(['-i', stereo, '-c:a', 'libmp3lame', '-b:a', '192k', path]);
    const audio = await decodeAudioFile(path);
    expect(audio).toMatchObject({ format: 'mp3', sampleRate: 44100, channels: 2 });
    expectLike(audio, source.samples, 0.99);
  });

  it('Ogg Vorbis (oggenc): exact length and the source waveform', async () => {
    const path = join(dir, 'a.ogg');
    run('oggenc', ['-Q', '-q', '6', '-o', path, stereo]);
    const audio = await decodeAudioFile(path);
    expect(audio).toMatchObject({ format: 'ogg-vorbis', sampleRate: 44100, channels: 2 });
    expectLike(audio, source.samples, 0.99);
  });

  it('Ogg Opus (opusenc): 48 kHz, pre-skip and end trimming applied', async () => {
    const path = join(dir, 'a.opus');
    run('opusenc', ['--quiet', '--bitrate', '128', stereo, path]);
    const audio = await decodeAudioFile(path);
    expect(audio).toMatchObject({ format: 'ogg-opus', sampleRate: 48000, channels: 2 });
    expectLike(audio, resample(source.samples, 44100, 48000), 0.98);
  });

  it('WebM Opus (ffmpeg, as MediaRecorder writes it: live, unknown-size clusters)', async () => {
    for (const live of ['0', '1']) {
      const path = join(dir, `a${live}.webm`);
      ffmpeg(['-i', stereo, '-c:a', 'libopus', '-b:a', '128k', '-live', live, '-f', 'webm', path]);
      const audio = await decodeAudioFile(path);
      expect(audio).toMatchObject({ format: 'webm-opus', sampleRate: 48000, channels: 2 });
      expectLike(audio, resample(source.samples, 44100, 48000), 0.98);
    }
  });

  it('WebM Opus with clusters of unknown size (Chrome’s MediaRecorder)', async () => {
    const path = join(dir, 'live.webm');
    ffmpeg(['-i', stereo, '-c:a', 'libopus', '-live', '1', '-f', 'webm', path]);
    const bytes = readFileSync(path);
    // Rewrite every Cluster's size as "unknown" (0x01FFFFFFFFFFFFFF); nothing in a live file points at offsets.
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = bytes.indexOf(clusterId); at >= 0; at = bytes.indexOf(clusterId, at + 4)) {
      const first = bytes[at + 4]!;
      const sizeLength = Math.clz32(first) - 23;
      parts.push(bytes.subarray(from, at + 4), Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
      from = at + 4 + sizeLength;
    }
    parts.push(bytes.subarray(from));
    expect(parts.length).toBeGreaterThan(2);
    writeFileSync(path, Buffer.concat(parts));
    const audio = await decodeAudioFile(path);
    expectLike(audio, resample(source.samples, 44100, 48000), 0.98);
  });

  it('WebM Opus longer than the 1 MB read-ahead window (90 s): the audio past the window is the source’s', async () => {
    const path = join(dir, 'long.webm');
    // ffmpeg's sine source: amplitude 1/8, phase 0 at the first sample.
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=90:sample_rate=48000', '-c:a', 'libopus', '-b:a', '160k', path]);
    const size = readFileSync(path).length;
    expect(size).toBeGreaterThan(2 << 20);
    const audio = await decodeAudioFile(path);
    expect(audio.samples).toHaveLength(90 * 48000);
    // Everything from 10% past the first 1 MB window to the end (the bitrate is about constant).
    const from = Math.ceil(((1.1 * (1 << 20)) / size) * 90) * 48000;
    expect(from).toBeLessThan(60 * 48000);
    const tail = audio.samples.subarray(from);
    const expected = new Float32Array(tail.length);
    for (let i = 0; i < expected.length; i++) expected[i] = Math.sin((2 * Math.PI * 300 * (from + i)) / 48000) / 8;
    expect(correlation(tail, expected)).toBeGreaterThan(0.999);
    expect(Math.abs(rmsDb(tail) - rmsDb(expected))).toBeLessThanOrEqual(0.1);
  });

  it('WebM Opus, mono at 16 kHz input', async () => {
    const path = join(dir, 'mono.webm');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=500:duration=1:sample_rate=16000', '-c:a', 'libopus', path]);
    const audio = await decodeAudioFile(path);
    expect(audio).toMatchObject({ format: 'webm-opus', sampleRate: 48000, channels: 1 });
    expect(audio.samples).toHaveLength(48000);
  });
});

describe('every encoder and container, as the tools people use make them', () => {
  const fixtures = interopFixtures(dir);
  beforeAll(() => {
    for (const fixture of fixtures) fixture.make();
  }, 180_000);

  it('covers WAV, FLAC, MP3, Ogg Vorbis, Ogg Opus and WebM Opus, mono and stereo, 8 to 48 kHz', () => {
    expect(new Set(fixtures.map((f) => f.format))).toEqual(new Set(['wav', 'flac', 'mp3', 'ogg-vorbis', 'ogg-opus', 'webm-opus']));
    expect(new Set(fixtures.map((f) => f.channels))).toEqual(new Set([1, 2]));
    const rates = fixtures.map((f) => f.sampleRate);
    expect([Math.min(...rates), Math.max(...rates)]).toEqual([8000, 48000]);
  });

  for (const fixture of fixtures) {
    it(fixture.name, async () => {
      const audio = await decodeAudioFile(fixture.path);
      const input = await decodeAudioFile(fixture.source);
      expect(audio).toMatchObject({ format: fixture.format, sampleRate: fixture.sampleRate, channels: fixture.channels });
      if (!fixture.lossy) {
        expect(audio.samples).toEqual(input.samples);
      } else {
        const expected = input.sampleRate === audio.sampleRate ? input.samples : resample(input.samples, input.sampleRate, audio.sampleRate);
        if (fixture.exactLength) expect(audio.samples).toHaveLength(expected.length);
        else expect(audio.samples.length).toBeGreaterThanOrEqual(expected.length);
        expect(Math.abs(rmsDb(audio.samples) - rmsDb(expected))).toBeLessThanOrEqual(1);
        // Without a Xing/Info frame the encoder's delay stays in: look for the source up to 3000 samples later.
        expect(bestCorrelation(audio.samples, expected, fixture.exactLength ? 0 : 3000)).toBeGreaterThan(0.9);
      }
    });
  }
});
