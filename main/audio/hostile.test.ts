// A corpus of malformed and hostile inputs, generated here: each must fail with a typed VoiceVaultError code,
// quickly and without exhausting memory, never with a crash or an untyped exception.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVoiceVaultError, type ErrorCode } from '../../shared/errors';
import { featuresCommand } from '../cli/features-command';
import { decodeAudioFile } from './decode';
import { encodeWav, encodeWavHeader } from './wav-writer';

const dir = mkdtempSync(join(tmpdir(), 'voicevault-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (tool: string, args: string[]): void => {
  execFileSync(tool, args, { stdio: 'pipe' });
};
const ffmpeg = (args: string[]): void => run('ffmpeg', ['-y', '-loglevel', 'error', ...args]);
const path = (name: string): string => join(dir, name);
const put = (name: string, bytes: Uint8Array | string): string => {
  writeFileSync(path(name), bytes);
  return path(name);
};

function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A valid 16-bit mono 16 kHz WAV of `samples` zeros-ish, as a mutable copy. */
function wav(samples = 1600, format: Parameters<typeof encodeWav>[1] = { sampleFormat: 'pcm-s16', sampleRate: 16000 }): Uint8Array {
  const data = Array.from({ length: samples }, (_, i) => 0.3 * Math.sin(i / 5));
  return encodeWav([data], format).slice();
}

function patch(bytes: Uint8Array, at: number, write: (view: DataView) => void): Uint8Array {
  write(new DataView(bytes.buffer, bytes.byteOffset + at));
  return bytes;
}

const cases: { name: string; make: () => string; code: ErrorCode }[] = [];
const add = (name: string, code: ErrorCode, make: () => string): void => {
  cases.push({ name, code, make });
};

// --- WAV header and parameters
add('empty file', 'EmptyFile', () => put('empty.wav', new Uint8Array(0)));
add('random bytes named .wav', 'UnsupportedFormat', () => put('random.wav', pseudoRandomBytes(4096, 7)));
add('text named .wav', 'UnsupportedFormat', () => put('text.wav', 'hello, this is not audio\n'.repeat(20)));
add('truncated WAV header (20 bytes)', 'CorruptAudio', () => put('trunc-header.wav', wav().subarray(0, 20)));
add('RIFF/WAVE with no chunks', 'CorruptAudio', () => put('no-chunks.wav', wav().subarray(0, 12)));
add('data chunk longer than the file', 'CorruptAudio', () => put('long-data.wav', wav().subarray(0, 1000)));
add('absurd declared data length (4 GB in 3 kB)', 'CorruptAudio', () => put('absurd.wav', patch(wav(), 40, (v) => v.setUint32(0, 0xfffffff0, true))));
add('0 channels', 'InvalidAudioParameters', () => put('zero-channels.wav', patch(wav(), 22, (v) => v.setUint16(0, 0, true))));
add('sample rate 0', 'InvalidAudioParameters', () => put('rate-0.wav', patch(wav(), 24, (v) => v.setUint32(0, 0, true))));
add('sample rate 10^9', 'InvalidAudioParameters', () => put('rate-1e9.wav', patch(wav(), 24, (v) => v.setUint32(0, 1e9, true))));
add('block size that does not match the channels', 'InvalidAudioParameters', () => put('block-align.wav', patch(wav(), 32, (v) => v.setUint16(0, 7, true))));
add('12-bit integer samples', 'UnsupportedFormat', () => put('12-bit.wav', patch(wav(), 34, (v) => v.setUint16(0, 12, true))));
add('format chunk too short', 'CorruptAudio', () => put('short-fmt.wav', patch(wav(), 16, (v) => v.setUint32(0, 8, true))));
add('no format chunk', 'CorruptAudio', () => {
  const bytes = wav();
  bytes.set([0x6a, 0x75, 0x6e, 0x6b], 12); // 'junk' instead of 'fmt '
  return put('no-fmt.wav', bytes);
});
add('no data chunk', 'CorruptAudio', () => put('no-data.wav', wav().subarray(0, 36)));
add('header only, zero samples', 'EmptyFile', () => put('zero-samples.wav', encodeWavHeader({ sampleFormat: 'pcm-s16', channels: 1, sampleRate: 16000 }, 0)));
add('NaN in float32 samples', 'NonFiniteSamples', () => {
  const bytes = wav(100, { sampleFormat: 'float32', sampleRate: 16000 });
  return put('nan.wav', patch(bytes, 44 + 4 * 50, (v) => v.setFloat32(0, NaN, true)));
});
add('Infinity in float64 samples', 'NonFiniteSamples', () => {
  const bytes = wav(100, { sampleFormat: 'float64', sampleRate: 16000 });
  return put('inf.wav', patch(bytes, 44 + 8 * 10, (v) => v.setFloat64(0, -Infinity, true)));
});
add('float64 beyond float32 range', 'NonFiniteSamples', () => {
  const bytes = wav(100, { sampleFormat: 'float64', sampleRate: 16000 });
  return put('huge.wav', patch(bytes, 44 + 8 * 10, (v) => v.setFloat64(0, 1e300, true)));
});
add('declared 4.3 million seconds (sparse 4 GB file)', 'AudioTooLong', () => {
  const name = path('too-long.wav');
  const header = encodeWavHeader({ sampleFormat: 'pcm-u8', channels: 1, sampleRate: 1000 }, 0xffffff00);
  const fd = openSync(name, 'w');
  writeSync(fd, header);
  writeSync(fd, new Uint8Array([0]), 0, 1, header.length + 0xffffff00 - 1);
  closeSync(fd);
  return name;
});
add('big-endian RIFX', 'UnsupportedFormat', () => {
  const bytes = wav();
  bytes.set([0x52, 0x49, 0x46, 0x58], 0);
  return put('rifx.wav', bytes);
});
add('IMA ADPCM WAV (sox)', 'UnsupportedFormat', () => {
  run('sox', ['-n', '-r', '16000', '-c', '1', '-e', 'ima-adpcm', path('adpcm.wav'), 'synth', '0.2', 'sine', '300']);
  return path('adpcm.wav');
});
add('µ-law WAV (sox)', 'UnsupportedFormat', () => {
  run('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', path('ulaw.wav'), 'synth', '0.2', 'sine', '300']);
  return path('ulaw.wav');
});
add('directory', 'UnsupportedFormat', () => {
  mkdirSync(path('folder.wav'), { recursive: true });
  return path('folder.wav');
});
add('missing file', 'FileNotFound', () => path('does-not-exist.wav'));

// --- other containers and codecs
add('AAC in ADTS (ffmpeg)', 'UnsupportedFormat', () => {
  ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.3', '-c:a', 'aac', '-f', 'adts', path('a.aac')]);
  return path('a.aac');
});
add('AAC in M4A (ffmpeg)', 'UnsupportedFormat', () => {
  ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.3', '-c:a', 'aac', path('a.m4a')]);
  return path('a.m4a');
});
add('AIFF (sox)', 'UnsupportedFormat', () => {
  run('sox', ['-n', '-r', '16000', '-c', '1', path('a.aiff'), 'synth', '0.2', 'sine', '300']);
  return path('a.aiff');
});
add('FLAC in Ogg', 'UnsupportedFormat', () => {
  run('flac', ['-s', '-f', '--ogg', '-o', path('flac.oga'), path('ok.wav')]);
  return path('flac.oga');
});
add('WebM with Vorbis audio', 'UnsupportedFormat', () => {
  ffmpeg(['-i', path('ok.wav'), '-c:a', 'libvorbis', '-f', 'webm', path('vorbis.webm')]);
  return path('vorbis.webm');
});
add('truncated FLAC', 'CorruptAudio', () => put('trunc.flac', readFileSync(path('ok.flac')).subarray(0, 3000)));
add('FLAC with a flipped byte (checksum)', 'CorruptAudio', () => {
  const bytes = readFileSync(path('ok.flac'));
  bytes[bytes.length - 500]! ^= 0x5a;
  return put('flipped.flac', bytes);
});
add('FLAC magic with a truncated STREAMINFO', 'CorruptAudio', () => put('streaminfo.flac', readFileSync(path('ok.flac')).subarray(0, 20)));
add('FLAC declaring 0 Hz', 'InvalidAudioParameters', () => {
  const bytes = readFileSync(path('ok.flac'));
  bytes[18] = 0;
  bytes[19] = 0;
  bytes[20] = bytes[20]! & 0x0f;
  return put('rate0.flac', bytes);
});
add('truncated MP3 (ID3 tag only)', 'CorruptAudio', () => put('trunc.mp3', readFileSync(path('ok.mp3')).subarray(0, 60)));
add('MP3 frame sync followed by garbage', 'CorruptAudio', () => {
  const bytes = pseudoRandomBytes(3000, 3);
  bytes.set([0xff, 0xfb, 0x90, 0x64], 0);
  for (let i = 4; i < bytes.length; i++) if (bytes[i] === 0xff) bytes[i] = 0;
  return put('garbage.mp3', bytes);
});
add('truncated Ogg Vorbis', 'CorruptAudio', () => put('trunc.ogg', readFileSync(path('ok.ogg')).subarray(0, 5000)));
add('truncated Ogg Opus', 'CorruptAudio', () => put('trunc.opus', readFileSync(path('ok.opus')).subarray(0, 2000)));
add('Ogg Opus with a flipped byte (checksum)', 'CorruptAudio', () => {
  const bytes = readFileSync(path('ok.opus'));
  bytes[bytes.length - 300]! ^= 0x01;
  return put('flipped.opus', bytes);
});
add('Ogg page header only', 'CorruptAudio', () => put('page.ogg', readFileSync(path('ok.ogg')).subarray(0, 27)));
add('truncated WebM', 'CorruptAudio', () => put('trunc.webm', readFileSync(path('ok.webm')).subarray(0, 1500)));
add('EBML header only', 'CorruptAudio', () => put('ebml.webm', readFileSync(path('ok.webm')).subarray(0, 40)));

beforeAll(() => {
  run('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', path('ok.wav'), 'synth', '1', 'sine', '300', 'sine', '500', 'vol', '0.5']);
  run('flac', ['-s', '-f', '-o', path('ok.flac'), path('ok.wav')]);
  run('oggenc', ['-Q', '-o', path('ok.ogg'), path('ok.wav')]);
  run('opusenc', ['--quiet', path('ok.wav'), path('ok.opus')]);
  ffmpeg(['-i', path('ok.wav'), '-c:a', 'libmp3lame', path('ok.mp3')]);
  ffmpeg(['-i', path('ok.wav'), '-c:a', 'libopus', path('ok.webm')]);
});

describe('hostile and malformed inputs', () => {
  it('has a corpus of at least 25 files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const { name, make, code } of cases) {
    it(`${name} → ${code}`, async () => {
      const file = make();
      const started = performance.now();
      const error = await decodeAudioFile(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isVoiceVaultError(error), `${name}: ${String(error)}`).toBe(true);
      expect(isVoiceVaultError(error) && error.code).toBe(code);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(process.memoryUsage().rss).toBeLessThan(1.5 * 2 ** 30);
    });
  }

  it('the CLI reports each one in a single line with exit 1', async () => {
    for (const { name, make } of cases) {
      const err: string[] = [];
      const io = { stdout: () => undefined, stderr: (t: string) => err.push(t), readStdin: async () => '' };
      const file = make();
      expect(await featuresCommand([file, '--preset', 'speech16k'], io), name).toBe(1);
      expect(err, name).toHaveLength(1);
      expect(err[0]!.split('\n'), name).toHaveLength(1);
      expect(err[0], name).toMatch(/\((EmptyFile|UnsupportedFormat|CorruptAudio|InvalidAudioParameters|AudioTooLong|NonFiniteSamples|FileNotFound)\)$/);
    }
  });
});
