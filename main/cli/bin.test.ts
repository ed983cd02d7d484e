// `voicevault` as users run it: the package's bin (what `npx voicevault` starts) runs the TypeScript source
// through tsx right after `npm ci`, and the bundle dist/cli.cjs after `npm run build`; the app's main process
// decodes through the same bundling (dist/main/audio.cjs). Each is run on files of every format made by real
// encoders, and must give exactly what the source gives in process.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as AudioModule from '../audio';
import { decodeAudioFile } from '../audio/decode';
import { interopFixtures, type InteropFixture } from '../audio/interop-fixtures';
import { bundlePath, ensureNodeBundles } from '../build';
import { extractFeaturesFromFile, melFeaturesToJson } from '../features';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = join(repoRoot, packageJson.bin.voicevault!);
const dir = mkdtempSync(join(tmpdir(), 'voicevault-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = interopFixtures(dir);
/** One fixture per format for the slower source runs (tsx compiles on start). */
const onePerFormat = [...new Map(fixtures.map((f) => [f.format, f])).values()];

beforeAll(async () => {
  await ensureNodeBundles(['cli', 'audio']);
  for (const fixture of fixtures) fixture.make();
}, 240_000);

async function voicevault(mode: 'source' | 'bundle', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, VOICEVAULT_CLI: mode } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** What the source computes in process, as the JSON the CLI writes. */
async function expectedJson(fixture: InteropFixture): Promise<unknown> {
  const result = await extractFeaturesFromFile(fixture.path, 'speech16k', { summary: false });
  return JSON.parse(JSON.stringify(melFeaturesToJson(result.features, result.parameters)));
}

/** Runs `features` with --out JSON (and, with `report`, without it too: the one-page report names the format). */
async function expectSameFeatures(mode: 'source' | 'bundle', fixture: InteropFixture, report: boolean): Promise<void> {
  const out = join(dir, `${mode}-${fixture.path.split('/').pop()}.json`);
  if (report) {
    const page = await voicevault(mode, ['features', fixture.path, '--preset', 'speech16k']);
    expect(page.stderr).toBe('');
    expect(page.code).toBe(0);
    expect(page.stdout).toContain(`(${fixture.format}, ${fixture.sampleRate} Hz, ${fixture.channels} ch,`);
  }
  const written = await voicevault(mode, ['features', fixture.path, '--preset', 'speech16k', '--out', out]);
  expect(written.code).toBe(0);
  expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(await expectedJson(fixture));
}

describe('the voicevault bin', () => {
  it('is main/cli/bin.cjs', () => {
    expect(packageJson.bin.voicevault).toBe('main/cli/bin.cjs');
  });

  it('refuses an unknown VOICEVAULT_CLI value with exit 2', async () => {
    const report = await run(process.execPath, [bin, '--help'], { env: { ...process.env, VOICEVAULT_CLI: 'nightly' } }).catch((e: { code: number; stderr: string }) => e);
    expect(report).toMatchObject({ code: 2, stderr: expect.stringContaining("VOICEVAULT_CLI must be 'source' or 'bundle'") });
  });

  describe('from the bundle (after npm run build)', () => {
    it('lists its commands', async () => {
      const report = await voicevault('bundle', ['--help']);
      expect(report.code).toBe(0);
      expect(report.stdout).toMatch(/features/);
    });

    for (const fixture of fixtures) {
      it(`features of ${fixture.name}: the same JSON, whole, as the source in process`, async () => {
        await expectSameFeatures('bundle', fixture, onePerFormat.includes(fixture));
      });
    }

    it('reports a file that is not audio in one line with exit 1', async () => {
      const garbage = join(dir, 'garbage.mp3');
      writeFileSync(garbage, Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0010not really an mp3 at all'));
      const report = await voicevault('bundle', ['features', garbage, '--preset', 'speech16k']);
      expect(report.code).toBe(1);
      expect(report.stderr.trim().split('\n')).toHaveLength(1);
      expect(report.stderr).toMatch(/garbage\.mp3: .*\((CorruptAudio|UnsupportedFormat)\)/);
    });
  });

  describe('from source (right after npm ci, no build)', () => {
    for (const fixture of onePerFormat) {
      it(`features of ${fixture.name}: the same JSON, whole, as in process`, async () => {
        await expectSameFeatures('source', fixture, true);
      });
    }
  });
});

describe('the main process bundle’s decoders (dist/main/audio.cjs, built like dist/main/index.cjs)', () => {
  for (const fixture of fixtures) {
    it(`decodes ${fixture.name} to the same samples as the source`, async () => {
      const bundled = createRequire(import.meta.url)(bundlePath('audio')) as typeof AudioModule;
      const fromBundle = await bundled.decodeAudioFile(fixture.path);
      const fromSource = await decodeAudioFile(fixture.path);
      expect(fromBundle).toMatchObject({ format: fixture.format, sampleRate: fixture.sampleRate, channels: fixture.channels });
      expect(fromBundle.samples.length).toBeGreaterThan(0);
      expect(fromBundle.samples).toEqual(fromSource.samples);
    });
  }
});
