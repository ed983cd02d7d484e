// WAV decoding: every PCM and float layout, mono and multi-channel (averaged to mono), scaled like the
// reference (int16 / 32768), from our own writer and from sox.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudioBytes, decodeAudioFile, openAudioFile } from './decode';
import type { WavSampleFormat } from './wav';
import { encodeWav } from './wav-writer';

const dir = mkdtempSync(join(tmpdir(), 'voicevault-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const formats: [WavSampleFormat, number][] = [
  ['pcm-u8', 1 / 128],
  ['pcm-s16', 1 / 32768],
  ['pcm-s24', 1 / 8388608],
  ['pcm-s32', 1 / 2147483648],
  ['float32', 1e-7],
  ['float64', 0],
];

describe('WAV decoding', () => {
  for (const [sampleFormat, step] of formats) {
    for (const extensible of [false, true]) {
      it(`decodes ${sampleFormat}${extensible ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''} exactly`, async () => {
        const samples = [0, 0.5, -0.5, 0.25, -1, 0.999, 0.123456789];
        const audio = await decodeAudioBytes(encodeWav([samples], { sampleFormat, sampleRate: 22050, extensible }));
        expect(audio.format).toBe('wav');
        expect(audio.sampleRate).toBe(22050);
        expect(audio.channels).toBe(1);
        expect(audio.samples).toHaveLength(samples.length);
        samples.forEach((x, i) => expect(Math.abs(audio.samples[i]! - x)).toBeLessThanOrEqual(step + 1e-7));
      });
    }
  }

  it('scales 16-bit PCM as int16 / 32768', async () => {
    const bytes = encodeWav([[-1, 32767 / 32768, 1 / 32768]], { sampleFormat: 'pcm-s16', sampleRate: 16000 });
    const audio = await decodeAudioBytes(bytes);
    expect(Array.from(audio.samples)).toEqual([-1, 32767 / 32768, 1 / 32768]);
  });

  it('averages channels into mono', async () => {
    const left = [0.5, 0.25, -1];
    const right = [0.25, -0.25, 1];
    const third = [0, 0.75, 0.5];
    const audio = await decodeAudioBytes(encodeWav([left, right, third], { sampleFormat: 'float32', sampleRate: 48000, extensible: true }));
    expect(audio.channels).toBe(3);
    expect(Array.from(audio.samples)).toEqual([0.25, 0.25, 0.5 / 3].map(Math.fround));
  });

  it('streams a long file in bounded chunks', async () => {
    const n = 48000 * 20;
    const samples = new Float32Array(n);
    for (let i = 0; i < n; i++) samples[i] = Math.sin(i / 10) * 0.5;
    const path = join(dir, 'long.wav');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, encodeWav([samples, samples], { sampleFormat: 'pcm-s16', sampleRate: 48000 }));
    const stream = await openAudioFile(path);
    expect(stream.declaredFrames).toBe(n);
    let total = 0;
    let largest = 0;
    for await (const chunk of stream.chunks()) {
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
    }
    await stream.close();
    expect(total).toBe(n);
    expect(largest).toBeLessThanOrEqual(1 << 18);
  });

  it('skips unknown chunks before and after the data', async () => {
    const plain = encodeWav([[0.5, -0.5]], { sampleFormat: 'pcm-s16', sampleRate: 16000 });
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 12));
    withList.set(list, 12);
    withList.set(plain.subarray(12), 12 + list.length);
    const audio = await decodeAudioBytes(withList);
    expect(Array.from(audio.samples)).toEqual([0.5, -0.5]);
  });

  for (const [label, args] of [
    ['sox 16-bit stereo', ['-b', '16', '-c', '2']],
    ['sox 24-bit mono', ['-b', '24', '-c', '1']],
    ['sox 32-bit float', ['-e', 'floating-point', '-b', '32', '-c', '1']],
    ['sox 64-bit float', ['-e', 'floating-point', '-b', '64', '-c', '1']],
    ['sox 8-bit unsigned', ['-e', 'unsigned-integer', '-b', '8', '-c', '1']],
    ['sox 32-bit integer, 6 channels (extensible)', ['-e', 'signed-integer', '-b', '32', '-c', '6']],
  ] as const) {
    it(`decodes a file written by ${label} like sox reads it`, async () => {
      const path = join(dir, `${label.replace(/\W+/g, '-')}.wav`);
      execFileSync('sox', ['-n', '-r', '44100', ...args, path, 'synth', '0.2', 'sine', '440', 'vol', '0.5']);
      const audio = await decodeAudioFile(path);
      // sox's own mono float rendering of the same file.
      const raw = execFileSync('sox', [path, '-t', 'f64', '-e', 'floating-point', '-c', '1', '-']);
      const expected = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
      expect(audio.sampleRate).toBe(44100);
      expect(audio.samples).toHaveLength(expected.length);
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(audio.samples[i]! - expected[i]!));
      expect(worst).toBeLessThan((args as readonly string[]).includes('8') ? 1 / 64 : 1e-6);
      expect(readFileSync(path).length).toBeGreaterThan(44);
    });
  }
});
