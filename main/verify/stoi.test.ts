// Our STOI (stoi.py, written from Taal et al. 2011) on cases whose answer is known without it: a signal
// against itself scores 1, a scaled copy too (STOI normalises level), unrelated noise scores low, and
// speech in noise scores higher the higher its SNR.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio';
import { referencePythonForTests } from '../features/reference-venv';
import { pythonModules, runPythonJson } from './intelligibility';

const clip = join(import.meta.dirname, '..', '..', 'shared', 'reference', 'audio', 'speech_en_16k.wav');
const dir = mkdtempSync(join(tmpdir(), 'verify-stoi-'));

function writeF32(name: string, samples: Float32Array): string {
  const path = join(dir, `${name}.f32`);
  writeFileSync(path, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  return path;
}

/** Seeded standard normal samples (xorshift + Box–Muller), so a failure repeats. */
function gaussian(length: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const uniform = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 2 ** 32;
  };
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

const rms = (x: Float32Array): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

let found: { python: string } | { skip: string } = { skip: 'the reference Python was not looked up' };
beforeAll(() => {
  found = referencePythonForTests(pythonModules, pythonModules);
}, 20 * 60_000);

describe('STOI (stoi.py) on known cases', () => {
  it('scores a clip against itself and a scaled copy 1, white noise at its level low, and rises with the SNR', async (context) => {
    if ('skip' in found) return context.skip(`no reference Python with numpy and scipy: ${found.skip}`);
    const { python } = found;
    const { samples, sampleRate } = await decodeAudioFile(clip);
    expect(sampleRate).toBe(16000);
    const speech = samples;
    const noise = gaussian(speech.length, 7);
    const scale = rms(speech) / rms(noise);
    for (let i = 0; i < noise.length; i++) noise[i]! *= scale;
    const snrs = [-10, -5, 0, 5, 10];
    const noisy = snrs.map((snr) => speech.map((v, i) => v + noise[i]! * 10 ** (-snr / 20)));
    const clean = writeF32('clean', speech);
    const pairs = [
      { clean, degraded: clean },
      { clean, degraded: writeF32('scaled', speech.map((v) => v * 0.3)) },
      { clean, degraded: writeF32('noise', noise) },
      ...noisy.map((x, i) => ({ clean, degraded: writeF32(`snr${snrs[i]}`, x) })),
    ];
    const { scores } = (await runPythonJson(python, 'stoi.py', { fs: sampleRate, pairs })) as { scores: number[] };
    const [itself, scaled, alone, ...bySnr] = scores as [number, number, number, ...number[]];
    console.log(`stoi known cases: itself ${itself.toFixed(4)}, scaled ${scaled.toFixed(4)}, noise ${alone.toFixed(3)}, SNR ${snrs.map((s, i) => `${s} dB ${bySnr[i]!.toFixed(3)}`).join(', ')}`);
    expect(itself).toBeCloseTo(1, 6);
    expect(scaled).toBeCloseTo(1, 6);
    expect(alone).toBeLessThan(0.5);
    for (let i = 1; i < bySnr.length; i++) expect(bySnr[i]!, `SNR ${snrs[i]} dB above ${snrs[i - 1]} dB`).toBeGreaterThan(bySnr[i - 1]!);
    expect(bySnr[0]!).toBeGreaterThan(alone);
    expect(bySnr.at(-1)!).toBeGreaterThan(0.9);
  }, 120_000);

  it('refuses signals of different lengths and speech too short to score', async (context) => {
    if ('skip' in found) return context.skip(`no reference Python with numpy and scipy: ${found.skip}`);
    const { python } = found;
    const short = writeF32('short', gaussian(1600, 3));
    const long = writeF32('long', gaussian(3200, 3));
    await expect(runPythonJson(python, 'stoi.py', { fs: 16000, pairs: [{ clean: short, degraded: long }] })).rejects.toThrow(/one length/);
    await expect(runPythonJson(python, 'stoi.py', { fs: 16000, pairs: [{ clean: short, degraded: short }] })).rejects.toThrow(/at least 30 non-silent frames/);
  }, 60_000);
});
