import { describe, expect, it } from 'vitest';
import { contextFromObjectKey, encryptionContextOf, objectKeyFor, type SealContext } from '.';
import { contextMismatch } from './context';

const contractor = '3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17';
const base = { app: 'voicevault', partition: 'demo', contractor, sample: '01JZ3K8Q4M2N6P7R9S0T1V2W3X' } as const;

describe('object keys for sealed objects', () => {
  it('puts each kind under its own folder, features with their preset', () => {
    expect(objectKeyFor({ ...base, kind: 'raw' })).toBe(`raw/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.sealed`);
    expect(objectKeyFor({ ...base, kind: 'features', preset: 'speech16k' })).toBe(`features/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.speech16k.sealed`);
    expect(objectKeyFor({ ...base, kind: 'manifest' })).toBe(`manifests/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.sealed`);
    expect(objectKeyFor({ ...base, kind: 'request' })).toBe(`requests/demo/${contractor}/01JZ3K8Q4M2N6P7R9S0T1V2W3X.sealed`);
  });

  it('reads the key back into the context it came from', () => {
    expect(contextFromObjectKey(`features/demo/${contractor}/S1.librosa_default.sealed`)).toEqual({
      app: 'voicevault',
      kind: 'features',
      partition: 'demo',
      contractor,
      sample: 'S1',
      preset: 'librosa_default',
    });
    expect(contextFromObjectKey(`manifests/demo/${contractor}/S1.sealed`)).toEqual({ app: 'voicevault', kind: 'manifest', partition: 'demo', contractor, sample: 'S1' });
    expect(contextFromObjectKey(`requests/p-2/${contractor}/S1.sealed`)).toMatchObject({ kind: 'request', partition: 'p-2' });
  });

  it.each([
    ['a key outside the sealed folders', `config/partitions/demo.json`],
    ['the deletion feed', `deletions/2025-01-01-x.json`],
    ['a manifest with a preset', `manifests/demo/${contractor}/S1.speech16k.sealed`],
    ['features without a preset', `features/demo/${contractor}/S1.sealed`],
    ['a missing .sealed suffix', `raw/demo/${contractor}/S1`],
    ['an extra folder level', `raw/demo/${contractor}/x/S1.sealed`],
    ['a traversal segment', `raw/demo/../S1.sealed`],
    ['a dot-dot contractor', `raw/demo/../S1.sealed/x.sealed`],
    ['an empty sample', `raw/demo/${contractor}/.sealed`],
    ['a leading slash', `/raw/demo/${contractor}/S1.sealed`],
    ['the singular folder name', `manifest/demo/${contractor}/S1.sealed`],
  ])('refuses %s', (_name, key) => {
    expect(() => contextFromObjectKey(key)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining('not the key of a VoiceVault sealed object') }));
  });

  it.each([
    ['a slash in the sample', { ...base, kind: 'raw', sample: 'a/b' }],
    ['a dot in the sample', { ...base, kind: 'raw', sample: 'a.b' }],
    ['a traversal partition', { ...base, kind: 'raw', partition: '..' }],
    ['an empty contractor', { ...base, kind: 'raw', contractor: '' }],
    ['features without a preset', { ...base, kind: 'features' }],
    ['a preset on raw audio', { ...base, kind: 'raw', preset: 'speech16k' }],
    ['another app', { ...base, app: 'other', kind: 'raw' }],
    ['an unknown kind', { ...base, kind: 'secrets' }],
    ['a policy that is not a SHA-256', { ...base, kind: 'manifest', policy: 'abc' }],
    ['a consent version with a newline', { ...base, kind: 'manifest', consent: 'v1\n' }],
    ['a field outside the context', { ...base, kind: 'raw', user: 'ada' }],
  ])('refuses a context with %s', (_name, context) => {
    expect(() => objectKeyFor(context as unknown as SealContext)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });

  it('writes exactly the present fields into the encryption context', () => {
    const policy = 'ab'.repeat(32);
    expect(encryptionContextOf({ ...base, kind: 'features', preset: 'speech16k', consent: '2025-01', policy })).toEqual({
      app: 'voicevault',
      kind: 'features',
      partition: 'demo',
      contractor,
      sample: '01JZ3K8Q4M2N6P7R9S0T1V2W3X',
      preset: 'speech16k',
      consent: '2025-01',
      policy,
    });
    expect(Object.keys(encryptionContextOf({ ...base, kind: 'raw' }))).toEqual(['app', 'kind', 'partition', 'contractor', 'sample']);
  });
});

describe('comparing a message context with its key', () => {
  const key = `features/demo/${contractor}/S1.speech16k.sealed`;
  const sealedAs = { app: 'voicevault', kind: 'features', partition: 'demo', contractor, sample: 'S1', preset: 'speech16k', consent: 'v2', 'aws-crypto-public-key': 'AxyZ' };

  it('accepts the context the key names, with the SDK public key and fields the key cannot carry', () => {
    expect(contextMismatch(sealedAs, contextFromObjectKey(key))).toBeUndefined();
    expect(contextMismatch(sealedAs, contextFromObjectKey(key), { consent: 'v2' })).toBeUndefined();
  });

  it('names the field that differs', () => {
    expect(contextMismatch({ ...sealedAs, sample: 'S2' }, contextFromObjectKey(key))).toBe('it was sealed for sample "S2", but "S1" was expected');
    expect(contextMismatch({ ...sealedAs, contractor: 'someone-else' }, contextFromObjectKey(key))).toMatch(/contractor "someone-else"/);
    expect(contextMismatch(sealedAs, contextFromObjectKey(key), { consent: 'v3' })).toBe('it was sealed for consent "v2", but "v3" was expected');
    expect(contextMismatch(sealedAs, contextFromObjectKey(key), { policy: 'cd'.repeat(32) })).toMatch(/sealed without a policy/);
  });

  it('refuses a preset the key does not name and fields outside the context', () => {
    const { preset: _preset, ...manifestLike } = sealedAs;
    expect(contextMismatch({ ...manifestLike, kind: 'manifest', preset: 'speech16k' }, contextFromObjectKey(`manifests/demo/${contractor}/S1.sealed`))).toMatch(/preset "speech16k", which its key does not name/);
    expect(contextMismatch({ ...sealedAs, bucket: 'x' }, contextFromObjectKey(key))).toMatch(/unexpected context field "bucket"/);
  });
});
