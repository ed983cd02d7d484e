import { describe, expect, it } from 'vitest';
import { demoPartition } from '../../shared/partition';
import { describeItem, nextPrompt } from './store';

describe('where a recording session resumes', () => {
  it('starts at the first prompt when nothing is recorded or skipped', () => {
    expect(nextPrompt(demoPartition, { recorded: [], skipped: [] })?.id).toBe('p1');
  });

  it('skips prompts recorded or skipped, in the partition order', () => {
    expect(nextPrompt(demoPartition, { recorded: ['p1'], skipped: [] })?.id).toBe('p2');
    expect(nextPrompt(demoPartition, { recorded: ['p1'], skipped: ['p2'] })?.id).toBe('p3');
    expect(nextPrompt(demoPartition, { recorded: ['p2'], skipped: [] })?.id).toBe('p1');
  });

  it('has nothing left once every prompt is recorded or skipped', () => {
    expect(nextPrompt(demoPartition, { recorded: ['p1', 'p3'], skipped: ['p2'] })).toBeUndefined();
  });
});

describe('how an outbox item is named', () => {
  it('by its prompt text when it has one, else by its source file', () => {
    const item = { sample: '01JABCDEFGHJKMNPQRSTVWXYZ0', source: 'recording', state: 'uploaded' as const, progress: 100 };
    expect(describeItem(demoPartition, { ...item, promptId: 'p3' })).toBe('“Seven slippery seals slid silently into the sea.”');
    expect(describeItem(demoPartition, { ...item, source: 'reading-01.wav' })).toBe('reading-01.wav');
  });
});
