// `npm run bench:features [-- --json]`: our feature extraction against librosa's on the same float32 input
// (speech16k on 60 s at 16 kHz, librosa_default on 60 s at 48 kHz), and end-to-end speed and peak memory
// on a generated 60-minute 48 kHz WAV with speech16k. Goals: ratio ≥ 1 on both, peak RSS ≤ 400 MB.
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

function timeLibrosa(python: string, dir: string, samples: Float32Array, rate: number, preset: FeaturePreset): LibrosaTiming {
  const params = featurePresetParameters[preset];
  const raw = join(dir, `${preset}.f32`);
  writeFileSync(raw, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const args = [rate, params.nFft, params.winLength, params.hopLength, params.nMels, params.nMfcc, presetFMax(params, rate), runs].map(String);
  const run = (threads: Record<string, string>): number => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...threads };
    // Per the machine notes, these slow a current numpy; unset together, for librosa's best showing.
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const out = execFileSync(python, [join(repoRoot, 'main', 'features', 'bench', 'librosa_features.py'), raw, ...args], { env, encoding: 'utf8' });
    return (JSON.parse(out) as { median_s: number }).median_s;
  };
  // OpenBLAS spreads librosa's mel product over both cores by default: a little faster on an idle machine,
  // much slower on a busy one. Our extraction is single-threaded, so time both and compare with the faster.
  const defaultThreads = run({});
  const oneThread = run({ OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  return { median_s: Math.min(defaultThreads, oneThread), default_threads_s: defaultThreads, one_thread_s: oneThread };
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
    const child = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'main', 'features', 'bench', 'end-to-end.ts'), wav, 'speech16k'], {
      encoding: 'utf8',
      cwd: repoRoot,
    });
    const endToEnd = JSON.parse(child.trim().split('\n').pop()!) as { seconds: number; audio_seconds: number; peak_rss_mb: number; n_frames: number };
    const xRealtime = endToEnd.audio_seconds / endToEnd.seconds;
    log(`60-minute 48 kHz WAV → speech16k end to end: ${endToEnd.seconds.toFixed(1)} s (${xRealtime.toFixed(0)}× real time), peak RSS ${endToEnd.peak_rss_mb.toFixed(0)} MB`);

    const summary = {
      ratio_vs_librosa_16k: results.speech16k!.ratio,
      ratio_vs_librosa_48k: results.librosa_default!.ratio,
      x_realtime_end_to_end: xRealtime,
      peak_rss_mb_60min_48k: endToEnd.peak_rss_mb,
      details: { ...results, end_to_end: endToEnd, runs },
    };
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else log(`goals: ratio ≥ 1 (${summary.ratio_vs_librosa_16k >= 1 && summary.ratio_vs_librosa_48k >= 1 ? 'met' : 'not met'}), peak RSS ≤ 400 MB (${summary.peak_rss_mb_60min_48k <= 400 ? 'met' : 'not met'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:features: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
