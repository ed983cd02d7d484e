// `npm run bench:features [-- --json]`: our feature extraction against librosa's on the same float32 input
// (speech16k on 60 s at 16 kHz, librosa_default on 60 s at 48 kHz), and file → features end to end on a
// generated 60-minute 48 kHz WAV against librosa.load(sr=16000, soxr_hq) + melspectrogram + power_to_db + mfcc
// on the same file, timed in the same run. Goals: kernel ratios ≥ 1, end-to-end ratio ≥ 2, peak RSS ≤ 400 MB.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudioFile } from '../../audio/decode';
import { encodeWavHeader, encodeWavSamples } from '../../audio/wav-writer';
import type { FeaturePreset } from '../../../shared/partition';
import { computeMelFeatures } from '../mel-spectrogram';
import { featurePresetParameters, presetFMax } from '../presets';
import { ensureReferencePython, repoRoot } from '../reference-venv';

const json = process.argv.includes('--json');
// Both sides: one warm-up, then the median of this many runs (15 rather than 7: the build machine is shared).
const runs = 15;
/** End to end on 60 minutes takes seconds per run: three rounds, interleaved with librosa's. */
const endToEndRounds = 3;
const log = (text: string): void => {
  if (!json) process.stdout.write(`${text}\n`);
};

/** 60 s of real speech at `rate`: a reference clip repeated (resampling is not part of this timing). */
async function speechMinute(clip: string, rate: number): Promise<Float32Array> {
  const audio = await decodeAudioFile(join(repoRoot, 'shared', 'reference', 'audio', clip));
  if (audio.sampleRate !== rate) throw new Error(`${clip} is ${audio.sampleRate} Hz, not ${rate}`);
  const out = new Float32Array(rate * 60);
  for (let at = 0; at < out.length; at += audio.samples.length) out.set(audio.samples.subarray(0, out.length - at), at);
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeOurs(samples: Float32Array, rate: number, preset: FeaturePreset): number {
  const params = featurePresetParameters[preset];
  computeMelFeatures(samples, rate, params); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    computeMelFeatures(samples, rate, params);
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}

interface LibrosaTiming {
  /** The faster of the two medians below: librosa's best showing. */
  median_s: number;
  /** numpy/OpenBLAS with its default threads (both cores for the mel matrix product). */
  default_threads_s: number;
  /** One BLAS thread, like for like with our single thread. */
  one_thread_s: number;
}

/** Environments for librosa's two thread settings (see timeLibrosa). */
function librosaEnvironments(): { defaultThreads: NodeJS.ProcessEnv; oneThread: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Per the machine notes, these slow a current numpy; unset together, for librosa's best showing.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return { defaultThreads: env, oneThread: { ...env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } };
}

function timeLibrosa(python: string, dir: string, samples: Float32Array, rate: number, preset: FeaturePreset): LibrosaTiming {
  const params = featurePresetParameters[preset];
  const raw = join(dir, `${preset}.f32`);
  writeFileSync(raw, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const args = [rate, params.nFft, params.winLength, params.hopLength, params.nMels, params.nMfcc, presetFMax(params, rate), runs].map(String);
  const run = (env: NodeJS.ProcessEnv): number => {
    const out = execFileSync(python, [join(repoRoot, 'main', 'features', 'bench', 'librosa_features.py'), raw, ...args], { env, encoding: 'utf8' });
    return (JSON.parse(out) as { median_s: number }).median_s;
  };
  // OpenBLAS spreads librosa's mel product over both cores by default: a little faster on an idle machine,
  // much slower on a busy one. Our extraction is single-threaded, so time both and compare with the faster.
  const { defaultThreads: defaultEnv, oneThread: oneEnv } = librosaEnvironments();
  const defaultThreads = run(defaultEnv);
  const oneThread = run(oneEnv);
  return { median_s: Math.min(defaultThreads, oneThread), default_threads_s: defaultThreads, one_thread_s: oneThread };
}

interface EndToEndRun {
  seconds: number;
  audio_seconds: number;
  n_frames: number;
  peak_rss_mb: number;
}

/**
 * File → speech16k features on `wav`, ours (a child process per run, so its peak RSS is its own) against
 * librosa (default threads and one thread, as above), the three interleaved over `rounds` so that a change in
 * the machine's load hits both sides; medians of each.
 */
function timeEndToEnd(python: string, wav: string, rounds: number) {
  const params = featurePresetParameters.speech16k;
  const { defaultThreads: defaultEnv, oneThread: oneEnv } = librosaEnvironments();
  const librosaArgs = [wav, params.nFft, params.winLength, params.hopLength, params.nMels, params.nMfcc, presetFMax(params, 16000)].map(String);
  const librosa = (env: NodeJS.ProcessEnv): number => {
    const out = execFileSync(python, [join(repoRoot, 'main', 'features', 'bench', 'librosa_end_to_end.py'), ...librosaArgs], { env, encoding: 'utf8' });
    return (JSON.parse(out) as { seconds: number }).seconds;
  };
  const ours: EndToEndRun[] = [];
  const librosaDefault: number[] = [];
  const librosaOne: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const child = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'features', 'bench', 'end-to-end.ts'), wav, 'speech16k'], {
      encoding: 'utf8',
      cwd: repoRoot,
    });
    ours.push(JSON.parse(child.trim().split('\n').pop()!) as EndToEndRun);
    librosaDefault.push(librosa(defaultEnv));
    librosaOne.push(librosa(oneEnv));
  }
  const oursSeconds = median(ours.map((r) => r.seconds));
  const defaultThreads = median(librosaDefault);
  const oneThread = median(librosaOne);
  const librosaSeconds = Math.min(defaultThreads, oneThread);
  return {
    ours_s: oursSeconds,
    librosa_s: librosaSeconds,
    ratio: librosaSeconds / oursSeconds,
    librosa_threads: { default_threads_s: defaultThreads, one_thread_s: oneThread },
    peak_rss_mb: Math.max(...ours.map((r) => r.peak_rss_mb)),
    audio_seconds: ours[0]!.audio_seconds,
    n_frames: ours[0]!.n_frames,
    runs: { ours_s: ours.map((r) => r.seconds), librosa_default_threads_s: librosaDefault, librosa_one_thread_s: librosaOne },
  };
}

/** Writes a 60-minute 48 kHz 16-bit mono WAV of repeated speech, block by block. */
async function writeLongWav(path: string, minutes: number): Promise<void> {
  const speech = await speechMinute('speech_de_48k.wav', 48000);
  const frames = minutes * 60 * 48000;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, encodeWavHeader({ sampleFormat: 'pcm-s16', channels: 1, sampleRate: 48000 }, frames));
    const block = encodeWavSamples([speech], 'pcm-s16');
    for (let written = 0; written < frames; written += speech.length) {
      const count = Math.min(speech.length, frames - written);
      writeSync(fd, block, 0, count * 2);
    }
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const found = ensureReferencePython(['librosa'], ['librosa', 'safetensors', 'numpy']);
  if (!('python' in found)) throw new Error(`librosa is needed for the comparison: ${found.reason}`);
  const dir = mkdtempSync(join(tmpdir(), 'voicevault-bench-'));
  try {
    const results: Record<string, { ours_s: number; librosa_s: number; ratio: number; librosa_threads: Omit<LibrosaTiming, 'median_s'> }> = {};
    for (const [preset, clip, rate] of [
      ['speech16k', 'speech_en_16k.wav', 16000],
      ['librosa_default', 'speech_de_48k.wav', 48000],
    ] as const) {
      const samples = await speechMinute(clip, rate);
      const ours = timeOurs(samples, rate, preset);
      const timing = timeLibrosa(found.python, dir, samples, rate, preset);
      const librosa = timing.median_s;
      results[preset] = {
        ours_s: ours,
        librosa_s: librosa,
        ratio: librosa / ours,
        librosa_threads: { default_threads_s: timing.default_threads_s, one_thread_s: timing.one_thread_s },
      };
      log(`${preset} on 60 s at ${rate / 1000} kHz: ours ${(ours * 1000).toFixed(1)} ms, librosa ${(librosa * 1000).toFixed(1)} ms → ${(librosa / ours).toFixed(2)}× librosa's speed`);
    }

    const wav = join(dir, 'sixty-minutes-48k.wav');
    await writeLongWav(wav, 60);
    const endToEnd = timeEndToEnd(found.python, wav, endToEndRounds);
    const xRealtime = endToEnd.audio_seconds / endToEnd.ours_s;
    log(
      `60-minute 48 kHz WAV → speech16k end to end: ours ${endToEnd.ours_s.toFixed(1)} s (${xRealtime.toFixed(0)}× real time), ` +
        `librosa ${endToEnd.librosa_s.toFixed(1)} s → ${endToEnd.ratio.toFixed(2)}× librosa's speed; our peak RSS ${endToEnd.peak_rss_mb.toFixed(0)} MB`,
    );

    const summary = {
      ratio_vs_librosa_16k: results.speech16k!.ratio,
      ratio_vs_librosa_48k: results.librosa_default!.ratio,
      ratio_end_to_end_vs_librosa: endToEnd.ratio,
      ours_end_to_end_s: endToEnd.ours_s,
      librosa_end_to_end_s: endToEnd.librosa_s,
      x_realtime_end_to_end: xRealtime,
      peak_rss_mb_60min_48k: endToEnd.peak_rss_mb,
      details: { ...results, end_to_end: endToEnd, runs, end_to_end_rounds: endToEndRounds },
    };
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const met = (ok: boolean): string => (ok ? 'met' : 'not met');
      log(
        `goals: kernel ratios ≥ 1 (${met(summary.ratio_vs_librosa_16k >= 1 && summary.ratio_vs_librosa_48k >= 1)}), ` +
          `end to end ≥ 2 (${met(summary.ratio_end_to_end_vs_librosa >= 2)}), peak RSS ≤ 400 MB (${met(summary.peak_rss_mb_60min_48k <= 400)})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:features: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
