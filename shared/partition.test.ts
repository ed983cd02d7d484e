// The partition schema says exactly what is wrong with an admin's partition, field by field.
import { describe, expect, it } from 'vitest';
import { demoPartition, parsePartition } from './partition';

const valid = {
  id: 'p2',
  name: 'Second partition',
  keepRaw: true,
  rawGlacierDays: 10,
  rawExpireDays: 90,
  featureTier: 'mfcc',
  preset: 'speech16k',
  requirements: { sampleRate: 16000, minSeconds: 1, maxSeconds: 20, maxClippedPct: 0.1, minSnrDb: 15, maxSilencePct: 50, minSpeechDbfs: -30 },
  prompts: [
    { id: 'a1', text: 'One.' },
    { id: 'a2', text: 'Two.' },
  ],
  consent: { version: 'v1', text: 'I agree.' },
  listenBeforeSubmit: true,
};

function problems(json: unknown): string[] {
  const parsed = parsePartition(json);
  return parsed.ok ? [] : parsed.problems;
}

describe('partition schema', () => {
  it('accepts a complete partition and fills defaults for the optional retention and tier', () => {
    const parsed = parsePartition(valid);
    expect(parsed.ok).toBe(true);
    const { keepRaw: _k, rawGlacierDays: _g, rawExpireDays: _e, featureTier: _f, preset: _p, listenBeforeSubmit: _l, ...minimal } = valid;
    const filled = parsePartition(minimal);
    expect(filled.ok && filled.partition).toMatchObject({ keepRaw: false, rawGlacierDays: 30, rawExpireDays: 365, featureTier: 'log-mel', preset: 'speech16k' });
    expect(filled.ok && 'listenBeforeSubmit' in filled.partition).toBe(false);
  });

  it('keeps the demo partition valid', () => {
    expect(parsePartition(demoPartition).ok).toBe(true);
  });

  it('refuses bad ids, naming the rule and the value', () => {
    for (const id of ['P2', '-p2', 'p 2', 'p/2', '', 'x'.repeat(64)]) {
      expect(problems({ ...valid, id })).toEqual([`id: a partition id is 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit (got ${JSON.stringify(id)})`]);
    }
  });

  it('refuses negative, zero and fractional days', () => {
    expect(problems({ ...valid, rawGlacierDays: -5 })).toEqual(['rawGlacierDays: must be at least 1 day (got -5)']);
    expect(problems({ ...valid, rawExpireDays: 0 })).toEqual(['rawExpireDays: must be at least 1 day (got 0)', expect.stringMatching(/^rawGlacierDays: raw audio would move/)]);
    expect(problems({ ...valid, rawGlacierDays: 2.5 })).toEqual(['rawGlacierDays: must be a whole number of days (got 2.5)']);
    expect(problems({ ...valid, rawExpireDays: '90' })).toEqual(['rawExpireDays: must be a number of days (got "90")']);
  });

  it('refuses Glacier after (or on the day of) expiry', () => {
    expect(problems({ ...valid, rawGlacierDays: 400, rawExpireDays: 365 })).toEqual([
      'rawGlacierDays: raw audio would move to Glacier after 400 days but expire after 365; rawGlacierDays must be below rawExpireDays',
    ]);
    expect(problems({ ...valid, rawGlacierDays: 90, rawExpireDays: 90 })).toHaveLength(1);
  });

  it('refuses an empty prompt list, blank prompts and duplicate prompt ids', () => {
    expect(problems({ ...valid, prompts: [] })).toEqual(['prompts: a partition needs at least one prompt']);
    expect(problems({ ...valid, prompts: [{ id: 'a1', text: '   ' }] })).toEqual(['prompts.0.text: a prompt must have some text (got "   ")']);
    expect(problems({ ...valid, prompts: [{ id: 'a1', text: 'x' }, { id: 'b', text: 'y' }, { id: 'a1', text: 'z' }] })).toEqual([
      'prompts.2.id: prompt id "a1" is used twice (prompts 1 and 3)',
    ]);
    expect(problems({ ...valid, prompts: [{ id: 'has space', text: 'x' }] })).toEqual([
      'prompts.0.id: a prompt id is 1 to 64 letters, digits, ".", ":", "_" or "-", starting with a letter or digit (got "has space")',
    ]);
  });

  it('refuses more prompts than a partition may hold', () => {
    const prompts = Array.from({ length: 2001 }, (_, i) => ({ id: `q${i}`, text: 'x' }));
    expect(problems({ ...valid, prompts })).toEqual(['prompts: a partition holds at most 2000 prompts']);
  });

  it('names missing fields', () => {
    const { name: _n, consent: _c, ...rest } = valid;
    expect(problems(rest)).toEqual(['name: is missing', 'consent: is missing']);
    expect(problems({ ...valid, consent: { text: 'x' } })).toEqual(['consent.version: is missing']);
  });

  it('refuses unknown fields, a bad tier and a consent version that cannot go into an encryption context', () => {
    expect(problems({ ...valid, keep_raw: true })).toEqual(['partition: unknown field "keep_raw"']);
    expect(problems({ ...valid, featureTier: 'mel' })).toEqual(['featureTier: the feature tier is one of log-mel, mfcc, summary (got "mel")']);
    expect(problems({ ...valid, consent: { version: 'v\n1', text: 'x' } })).toEqual(['consent.version: the consent version is 1 to 128 printable characters (got "v\\n1")']);
  });

  it('refuses requirements that no take could meet', () => {
    expect(problems({ ...valid, requirements: { ...valid.requirements, minSeconds: 30, maxSeconds: 20 } })).toEqual(['requirements.minSeconds: minSeconds must be below maxSeconds']);
    expect(problems({ ...valid, requirements: { ...valid.requirements, maxSeconds: 601 } })).toEqual(['requirements.maxSeconds: maxSeconds must be at most 600 (ten minutes) (got 601)']);
  });
});
