// What each stored-feature tier gives back, measured: on the reference speech clips, our own features as
// they are stored (safetensors of the log-mel tier and of the mfcc tier, preset speech16k) are turned back
// into audio with Griffin-Lim and scored with STOI against the clip, next to noise at the clip's level
// (intelligibility.py, stoi.py; Python from the reference venv with librosa, scipy and safetensors).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFeaturesFromFile } from '../features';
import { ensureReferencePython } from '../features/reference-venv';
import { storedFeatureBytes } from '../pipeline/stored-features';

const here = fileURLToPath(new URL('.', import.meta.url));

export const speechClips = ['speech_en_16k.wav', 'speech_de_22k.wav', 'speech_en_22k.wav', 'speech_de_48k.wav'];
export const griffinLimIterations = 64;

export interface ClipIntelligibility {
  name: string;
  seconds: number;
  stoi_logmel: number;
  stoi_mfcc: number;
  stoi_noise: number;
}

export interface Intelligibility {
  clips: ClipIntelligibility[];
  /** Means over the clips. */
  stoi_logmel: number;
  stoi_mfcc: number;
  stoi_noise: number;
}

/** What intelligibility.py and stoi.py import (and pip installs under the same names). */
export const pythonModules = ['librosa', 'scipy', 'safetensors'] as const;

/** The reference venv's python with what the scripts import, or the reason there is none. */
export function referencePython(): { python: string } | { reason: string } {
  return ensureReferencePython(pythonModules, pythonModules);
}

/** Runs a Python script from this folder with a JSON request on stdin; returns its last line, parsed. */
export async function runPythonJson(python: string, script: string, request: unknown): Promise<unknown> {
  const child = execFile(python, [join(here, script)], { cwd: here, maxBuffer: 16 * 2 ** 20, timeout: 10 * 60_000 });
  child.stdin!.end(JSON.stringify(request));
  const stdout = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * `featuresFrom: 'librosa'` rebuilds from librosa's own features of each clip (same parameters) instead of
 * ours: the cross-check that a figure belongs to the tier, not to our implementation of it.
 */
export async function measureIntelligibility(
  clipsDir: string,
  python: string,
  clips: readonly string[] = speechClips,
  featuresFrom: 'stored' | 'librosa' = 'stored',
): Promise<Intelligibility> {
  const dir = await mkdtemp(join(tmpdir(), 'voicevault-stoi-'));
  try {
    const request = { iterations: griffinLimIterations, seed: 0, librosa: featuresFrom === 'librosa', clips: [] as { name: string; audio: string; log_mel: string; mfcc: string }[] };
    for (const clip of clips) {
      const audio = join(clipsDir, clip);
      const extraction = await extractFeaturesFromFile(audio, 'speech16k');
      const name = basename(clip, '.wav');
      const logMel = join(dir, `${name}.log-mel.safetensors`);
      const mfcc = join(dir, `${name}.mfcc.safetensors`);
      await writeFile(logMel, storedFeatureBytes(extraction, 'log-mel'));
      await writeFile(mfcc, storedFeatureBytes(extraction, 'mfcc'));
      request.clips.push({ name, audio, log_mel: logMel, mfcc });
    }
    const { clips: measured } = (await runPythonJson(python, 'intelligibility.py', request)) as { clips: ClipIntelligibility[] };
    return {
      clips: measured,
      stoi_logmel: mean(measured.map((c) => c.stoi_logmel)),
      stoi_mfcc: mean(measured.map((c) => c.stoi_mfcc)),
      stoi_noise: mean(measured.map((c) => c.stoi_noise)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
