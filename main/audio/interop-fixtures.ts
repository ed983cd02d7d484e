// Test fixtures made at test time by the encoders people actually use (sox, flac, lame, ffmpeg, oggenc,
// opusenc; Debian packages, see .ci/run): every container and codec we accept, mono and stereo, 8 to 48 kHz,
// MP3 with and without the Xing/Info frame and with and without an ID3 tag. Each fixture names the WAV it was
// encoded from, so a test can compare what we decode with what went in.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { AudioFormatName } from './audio-stream';

export interface InteropFixture {
  /** What made it, e.g. "lame VBR -V2, mono 22.05 kHz, Xing". */
  name: string;
  path: string;
  /** The WAV (16-bit) it was encoded from. */
  source: string;
  format: AudioFormatName;
  /** The rate we decode it at (Opus always decodes at 48 kHz). */
  sampleRate: number;
  channels: number;
  lossy: boolean;
  /** Whether the container says exactly how long the audio is (so the decoded length must equal the source's). */
  exactLength: boolean;
  /** Runs the encoder (and makes its source first); done once, in a beforeAll. */
  make(): void;
}

function run(tool: string, args: string[]): void {
  execFileSync(tool, args, { stdio: 'pipe' });
}

/**
 * Sources: two tones and a little pink noise, 1.5 s, different per channel, at about −12 dBFS RMS: enough
 * level and spectrum for the lossy codecs to keep their shape.
 */
function source(dir: string, rate: number, channels: 1 | 2): string {
  const path = join(dir, `source-${rate}-${channels}.wav`);
  const tones = channels === 1 ? ['sine', '330'] : ['sine', '330', 'sine', '520'];
  run('sox', ['-n', '-r', String(rate), '-c', String(channels), '-b', '16', path, 'synth', '1.5', ...tones, 'vol', '0.35']);
  const noisy = join(dir, `source-${rate}-${channels}-noisy.wav`);
  const noise = join(dir, `noise-${rate}-${channels}.wav`);
  run('sox', ['-n', '-r', String(rate), '-c', String(channels), '-b', '16', noise, 'synth', '1.5', 'pinknoise', 'vol', '0.02']);
  run('sox', ['-m', path, noise, noisy]);
  return noisy;
}

/**
 * The fixtures, to be made in `dir` (about 20 files of 1.5 s; a few seconds of encoding). Nothing runs until
 * make() is called, so tests can be declared from this list before any encoder runs.
 */
export function interopFixtures(dir: string): InteropFixture[] {
  const sources = new Map<string, string>();
  const from = (rate: number, channels: 1 | 2): string => {
    const key = `${rate}/${channels}`;
    if (!sources.has(key)) sources.set(key, source(dir, rate, channels));
    return sources.get(key)!;
  };
  const fixtures: InteropFixture[] = [];
  const add = (
    name: string,
    file: string,
    rate: number,
    channels: 1 | 2,
    format: AudioFormatName,
    make: (input: string, output: string) => void,
    options: { decodedRate?: number; lossy?: boolean; exactLength?: boolean } = {},
  ): void => {
    const path = join(dir, file);
    fixtures.push({
      name,
      path,
      source: join(dir, `source-${rate}-${channels}-noisy.wav`),
      format,
      sampleRate: options.decodedRate ?? rate,
      channels,
      lossy: options.lossy ?? true,
      exactLength: options.exactLength ?? true,
      make: () => make(from(rate, channels), path),
    });
  };
  const sox = (extra: string[] = []) => (input: string, output: string) => run('sox', [input, ...extra, output]);
  const lame = (extra: string[]) => (input: string, output: string) => run('lame', ['--quiet', ...extra, input, output]);
  const ffmpeg = (extra: string[]) => (input: string, output: string) => run('ffmpeg', ['-y', '-loglevel', 'error', '-i', input, ...extra, output]);

  add('sox WAV 16-bit, stereo 44.1 kHz', 'sox-s16.wav', 44100, 2, 'wav', sox(), { lossy: false });
  add('sox WAV 24-bit, mono 8 kHz', 'sox-s24.wav', 8000, 1, 'wav', sox(['-b', '24']), { lossy: false });
  add('sox FLAC, mono 16 kHz', 'sox.flac', 16000, 1, 'flac', sox(), { lossy: false });
  add('flac --best, stereo 48 kHz', 'flac-best.flac', 48000, 2, 'flac', (i, o) => run('flac', ['-s', '-f', '--best', '-o', o, i]), { lossy: false });
  add('sox Ogg Vorbis, stereo 48 kHz', 'sox.ogg', 48000, 2, 'ogg-vorbis', sox(['-C', '6']));

  add('lame CBR 128k, stereo 44.1 kHz, Info frame, no ID3', 'lame-cbr.mp3', 44100, 2, 'mp3', lame(['-b', '128']));
  add('lame VBR -V2, mono 22.05 kHz, Xing frame, no ID3', 'lame-vbr.mp3', 22050, 1, 'mp3', lame(['-V', '2']));
  add('lame CBR 160k without the Info frame (-t), stereo 48 kHz', 'lame-cbr-notag.mp3', 48000, 2, 'mp3', lame(['-t', '-b', '160']), { exactLength: false });
  add('lame VBR -V4 without the Xing frame (-t), mono 16 kHz (MPEG-2)', 'lame-vbr-notag.mp3', 16000, 1, 'mp3', lame(['-t', '-V', '4']), { exactLength: false });
  add('lame CBR 24k, mono 8 kHz (MPEG-2.5)', 'lame-8k.mp3', 8000, 1, 'mp3', lame(['-b', '24']));
  add('ffmpeg libmp3lame, stereo 32 kHz, ID3v2 + Xing', 'ffmpeg.mp3', 32000, 2, 'mp3', ffmpeg(['-c:a', 'libmp3lame', '-b:a', '128k']));

  add('ffmpeg libvorbis, mono 16 kHz', 'ffmpeg-vorbis.ogg', 16000, 1, 'ogg-vorbis', ffmpeg(['-c:a', 'libvorbis', '-q:a', '5']));
  add('oggenc -q 5, stereo 44.1 kHz', 'oggenc-stereo.ogg', 44100, 2, 'ogg-vorbis', (i, o) => run('oggenc', ['-Q', '-q', '5', '-o', o, i]));
  add('oggenc -q 4, mono 11.025 kHz', 'oggenc-mono.ogg', 11025, 1, 'ogg-vorbis', (i, o) => run('oggenc', ['-Q', '-q', '4', '-o', o, i]));

  add('opusenc 96k, stereo 48 kHz', 'opusenc-stereo.opus', 48000, 2, 'ogg-opus', (i, o) => run('opusenc', ['--quiet', '--bitrate', '96', i, o]));
  add('opusenc 48k, mono 16 kHz input', 'opusenc-mono.opus', 16000, 1, 'ogg-opus', (i, o) => run('opusenc', ['--quiet', '--bitrate', '48', i, o]), {
    decodedRate: 48000,
  });
  add('ffmpeg libopus in Ogg, stereo 44.1 kHz input', 'ffmpeg-opus.opus', 44100, 2, 'ogg-opus', ffmpeg(['-c:a', 'libopus', '-b:a', '96k']), {
    decodedRate: 48000,
  });
  add('ffmpeg libopus in WebM, mono 8 kHz input', 'ffmpeg-mono.webm', 8000, 1, 'webm-opus', ffmpeg(['-c:a', 'libopus', '-b:a', '32k', '-f', 'webm']), {
    decodedRate: 48000,
  });
  add('ffmpeg libopus in WebM (live, as MediaRecorder), stereo 48 kHz', 'ffmpeg-live.webm', 48000, 2, 'webm-opus', ffmpeg(['-c:a', 'libopus', '-b:a', '96k', '-live', '1', '-f', 'webm']));
  return fixtures;
}

/** RMS level in dBFS. */
export function rmsDb(samples: Float32Array): number {
  let sum = 0;
  for (const x of samples) sum += x * x;
  return 10 * Math.log10(sum / Math.max(1, samples.length));
}

/** Largest normalised correlation of `decoded` with `reference` over lags 0 … maxLag (decoded later). */
export function bestCorrelation(decoded: Float32Array, reference: Float32Array, maxLag = 0): number {
  let best = -1;
  for (let lag = 0; lag <= maxLag; lag++) {
    const n = Math.min(decoded.length - lag, reference.length);
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      const a = decoded[i + lag]!;
      const b = reference[i]!;
      ab += a * b;
      aa += a * a;
      bb += b * b;
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  return best;
}
