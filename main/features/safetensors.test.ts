// Our safetensors files load in Python with safetensors + numpy alone, and hold the JSON's values.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../audio/decode';
import { computeMelFeatures } from './mel-spectrogram';
import { featurePresetParameters } from './presets';
import { referencePythonForTests } from './reference-venv';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { melFeaturesToJson, melFeaturesToSafetensors, summaryToJson, summaryToSafetensors } from './serialize';
import { extractFeaturesFromFile } from './extract';

const speech = fileURLToPath(new URL('../../shared/reference/audio/speech_de_22k.wav', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'voicevault-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safetensors writer', () => {
  it('round-trips tensors and metadata, with the header padded to 8 bytes', () => {
    const bytes = encodeSafetensors({
      metadata: { preset: 'x', note: 'ünïcode' },
      tensors: { a: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { shape: [1], data: Float32Array.from([0.5]) } },
    });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const file = decodeSafetensors(bytes);
    expect(file.metadata).toEqual({ preset: 'x', note: 'ünïcode' });
    expect(file.tensors.a).toEqual({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(Array.from(file.tensors.b!.data)).toEqual([0.5]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeSafetensors({ metadata: {}, tensors: { a: { shape: [2, 2], data: new Float32Array(3) } } })).toThrow(/shape/);
  });
});

describe('Python reads our files', () => {
  let python: string | undefined;
  let missing = '';
  beforeAll(() => {
    const found = referencePythonForTests(['safetensors', 'numpy'], ['safetensors', 'numpy']);
    if ('python' in found) python = found.python;
    else missing = found.skip;
  }, 20 * 60_000);

  it('loads the frame features with safetensors.numpy and finds the JSON values', async (context) => {
    if (!python) return context.skip(`Python safetensors is unavailable: ${missing}`);
    const audio = await decodeAudioFile(speech);
    const params = featurePresetParameters.librosa_default;
    const features = computeMelFeatures(audio.samples, audio.sampleRate, params);
    writeFileSync(join(dir, 'f.safetensors'), melFeaturesToSafetensors(features, params));
    writeFileSync(join(dir, 'f.json'), JSON.stringify(melFeaturesToJson(features, params)));
    const script = `
import json, sys, numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file
d = sys.argv[1]
t = load_file(d + '/f.safetensors')
with safe_open(d + '/f.safetensors', framework='np') as f:
    meta = f.metadata()
j = json.load(open(d + '/f.json'))
out = {'meta': meta, 'shapes': {k: list(v.shape) for k, v in t.items()}, 'dtypes': {k: str(v.dtype) for k, v in t.items()}}
out['equal'] = {k: bool(np.array_equal(t[k], np.asarray(j[k], dtype=np.float32))) for k in ('mel_power', 'log_mel_db', 'mfcc')}
print(json.dumps(out))
`;
    const result = JSON.parse(execFileSync(python, ['-c', script, dir], { encoding: 'utf8' })) as {
      meta: Record<string, string>;
      shapes: Record<string, number[]>;
      dtypes: Record<string, string>;
      equal: Record<string, boolean>;
    };
    expect(result.meta).toMatchObject({ preset: 'librosa_default', version: '1', sample_rate: '22050', n_mfcc: '20' });
    expect(result.shapes).toEqual({ mel_power: [142, 128], log_mel_db: [142, 128], mfcc: [142, 20] });
    expect(result.dtypes).toEqual({ mel_power: 'float32', log_mel_db: 'float32', mfcc: 'float32' });
    expect(result.equal).toEqual({ mel_power: true, log_mel_db: true, mfcc: true });
  });

  it('loads the summary tier and finds the JSON values', async (context) => {
    if (!python) return context.skip(`Python safetensors is unavailable: ${missing}`);
    const result = await extractFeaturesFromFile(speech, 'speech16k');
    const rate = result.features.sampleRate;
    writeFileSync(join(dir, 's.safetensors'), summaryToSafetensors(result.summary, result.parameters, rate));
    writeFileSync(join(dir, 's.json'), JSON.stringify(summaryToJson(result.summary, result.parameters, rate)));
    const script = `
import json, sys, numpy as np
from safetensors.numpy import load_file
from safetensors import safe_open
d = sys.argv[1]
s = load_file(d + '/s.safetensors')['summary']
with safe_open(d + '/s.safetensors', framework='np') as f:
    meta = f.metadata()
j = json.load(open(d + '/s.json'))['summary']
rows, cols = meta['rows'].split(','), meta['columns'].split(',')
expected = np.array([[j[r][c] for c in cols] for r in rows], dtype=np.float32)
print(json.dumps({'shape': list(s.shape), 'equal': bool(np.array_equal(s, expected)), 'tier': meta['tier']}))
`;
    const out = JSON.parse(execFileSync(python, ['-c', script, dir], { encoding: 'utf8' })) as { shape: number[]; equal: boolean; tier: string };
    expect(out).toEqual({ shape: [5, 5], equal: true, tier: 'summary' });
  });

  it('files written by the writer parse with our reader too', async () => {
    const audio = await decodeAudioFile(speech);
    const params = featurePresetParameters.librosa_default;
    const features = computeMelFeatures(audio.samples, audio.sampleRate, params);
    const file = decodeSafetensors(melFeaturesToSafetensors(features, params));
    expect(file.tensors.mfcc!.data).toEqual(features.mfcc);
    expect(file.tensors.log_mel_db!.shape).toEqual([features.nFrames, features.nMels]);
  });
});
