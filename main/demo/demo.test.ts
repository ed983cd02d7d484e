// `npm run demo -- --json` as a user runs it: the voicevault command from a checkout (no build), its
// own moto server, and one JSON object on the last line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../cli/bin.cjs', import.meta.url));

interface DemoJson {
  endpoint: string;
  samples: { sample: string | null; file: string; quality: { pass: boolean; reasons: string[] }; objects: { key: string; bytes: number; sha256: string; sse: string }[] }[];
  plaintext_leaks: number;
  decrypt_check: { key: string; equal: boolean };
}

describe('npm run demo', () => {
  it('seals and uploads the demo clips on its own emulator, finds no plaintext and decrypts what it computed', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, VOICEVAULT_CLI: 'source' };
    delete env.AWS_ENDPOINT_URL;
    const child = spawn(process.execPath, [bin, 'demo', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as DemoJson;
    expect(report.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(report.plaintext_leaks).toBe(0);
    expect(report.decrypt_check).toMatchObject({ equal: true, key: expect.stringMatching(/^features\/demo\//) });
    const passed = report.samples.filter((s) => s.quality.pass);
    expect(passed.map((s) => s.file.split('/').at(-1))).toEqual(['speech_en_16k.wav', 'speech_de_22k.wav', 'speech_en_22k.wav']);
    for (const sample of passed) {
      expect(sample.objects.map((o) => o.key.split('/')[0]).sort()).toEqual(['features', 'manifests']);
      for (const object of sample.objects) {
        expect(object.sse).toMatch(/^aws:kms arn:aws:kms:eu-central-1:\d{12}:key\//);
        expect(object.sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
        expect(object.bytes).toBeGreaterThan(1000);
      }
    }
    expect(report.samples.find((s) => !s.quality.pass)).toMatchObject({ file: expect.stringMatching(/noise_16k\.wav$/), objects: [], quality: { reasons: [expect.stringMatching(/^too noisy/)] } });
    // The demo stops its own emulator: nothing it started still listens.
    const port = new URL(report.endpoint).port;
    await expect(fetch(`http://127.0.0.1:${port}/moto-api/data.json`)).rejects.toThrow();
  }, 240_000);
});
