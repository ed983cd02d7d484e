// `voicevault features` run in-process with a fake CliIo.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../features/safetensors';
import type { CliIo } from './command';
import { featuresCommand } from './features-command';
import { runCli } from './index';

const speech = fileURLToPath(new URL('../../shared/reference/audio/speech_en_16k.wav', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'voicevault-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '' };
}

describe('voicevault features', () => {
  it('is listed by the dispatcher', async () => {
    const io = fakeIo();
    await runCli(['--help'], io);
    expect(io.out.join('\n')).toMatch(/features/);
  });

  it('prints a short summary and the quality report without --out', async () => {
    const io = fakeIo();
    expect(await runCli(['features', speech, '--preset', 'speech16k'], io)).toBe(0);
    const text = io.out.join('\n');
    expect(text).toMatch(/speech16k at 16000 Hz, 706 frames × 40 mels, 13 MFCC/);
    expect(text).toMatch(/quality: peak .* dBFS/);
    expect(text).toMatch(/quality check \(default requirements\): (pass|fail)/);
    expect(io.err).toEqual([]);
  });

  it('writes JSON { preset, sample_rate, n_frames, mel_power, log_mel_db, mfcc }, frame-major', async () => {
    const io = fakeIo();
    const out = join(dir, 'speech.json');
    expect(await featuresCommand([speech, '--preset', 'librosa_default', '--out', out], io)).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> & { mel_power: number[][]; mfcc: number[][] };
    expect(json).toMatchObject({ preset: 'librosa_default', sample_rate: 16000, n_frames: 221 });
    expect(json.mel_power).toHaveLength(221);
    expect(json.mel_power[0]).toHaveLength(128);
    expect(json.mfcc[220]).toHaveLength(20);
  });

  it('writes safetensors holding the same values as the JSON, with preset and version metadata', async () => {
    const io = fakeIo();
    const jsonPath = join(dir, 'same.json');
    const tensorsPath = join(dir, 'same.safetensors');
    expect(await featuresCommand([speech, '--preset', 'speech16k', '--out', jsonPath], io)).toBe(0);
    expect(await featuresCommand([speech, '--preset', 'speech16k', '--out', tensorsPath], io)).toBe(0);
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { log_mel_db: number[][] };
    const file = decodeSafetensors(readFileSync(tensorsPath));
    expect(file.metadata).toMatchObject({ preset: 'speech16k', version: '1', sample_rate: '16000', n_mels: '40' });
    expect(file.tensors.log_mel_db!.shape).toEqual([706, 40]);
    expect(Array.from(file.tensors.log_mel_db!.data.subarray(0, 40))).toEqual(json.log_mel_db[0]);
  });

  it('writes the summary tier with no frame-level data', async () => {
    const io = fakeIo();
    const out = join(dir, 'summary.json');
    expect(await featuresCommand([speech, '--preset', 'speech16k', '--tier', 'summary', '--out', out], io)).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ tier: 'summary', preset: 'speech16k' });
    expect(json).not.toHaveProperty('mel_power');
    expect(Object.keys(json.summary as object)).toContain('spectral_centroid_hz');
  });

  it('fails bad input with exit 1 and one line naming the file and the problem, no stack trace', async () => {
    const garbage = join(dir, 'garbage.wav');
    writeFileSync(garbage, 'this is not audio at all, just some text in a file with a .wav name');
    for (const [file, pattern] of [
      [garbage, /not a RIFF\/WAVE file|not a recognised audio file/],
      [join(dir, 'missing.wav'), /no such file/],
    ] as const) {
      const io = fakeIo();
      expect(await featuresCommand([file, '--preset', 'speech16k'], io)).toBe(1);
      expect(io.err).toHaveLength(1);
      expect(io.err[0]!.split('\n')).toHaveLength(1);
      expect(io.err[0]).toContain(file);
      expect(io.err[0]).toMatch(pattern);
      expect(io.err[0]).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    }
  });

  it('rejects bad usage with exit 2', async () => {
    for (const args of [[], [speech], [speech, '--preset', 'mp3ish'], [speech, '--preset', 'speech16k', '--out', 'x.txt']]) {
      const io = fakeIo();
      expect(await featuresCommand(args, io)).toBe(2);
      expect(io.err[0]).toMatch(/^voicevault features: /);
    }
  });
});
