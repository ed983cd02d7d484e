// The checkpoint on real files: what an interrupted run committed survives, what it did not is undone.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Checkpoint } from './checkpoint';

function fixture(): { state: string; index: string } {
  const root = mkdtempSync(join(tmpdir(), 'voicevault-checkpoint-'));
  const state = join(root, 'state');
  mkdirSync(state);
  return { state, index: join(root, 'index.jsonl') };
}

describe('the export checkpoint', () => {
  it('after a run that died mid-page: cuts the index back to the last commit and merges only committed keys, in order', async () => {
    const { state, index } = fixture();
    const committedRow = '{"sample":"A"}\n';
    writeFileSync(index, `${committedRow}{"sample":"E"}\n`); // E's row was appended, its commit never written
    writeFileSync(join(state, 'done.tsv'), 'manifests/b\t"eb"\nmanifests/d\t"ed"\n');
    writeFileSync(join(state, 'run.log'), ['start 0', '+\tmanifests/a\t"ea"', '+\tmanifests/c\t"ec"', `commit ${committedRow.length}`, '+\tmanifests/e\t"ee"', 'comm'].join('\n'));

    const checkpoint = await Checkpoint.open(state, index);
    expect(readFileSync(index, 'utf8')).toBe(committedRow);
    expect(readFileSync(join(state, 'done.tsv'), 'utf8')).toBe('manifests/a\t"ea"\nmanifests/b\t"eb"\nmanifests/c\t"ec"\nmanifests/d\t"ed"\n');
    expect(existsSync(join(state, 'run.log'))).toBe(false);

    const cursor = checkpoint.cursor();
    expect(await cursor.find('manifests/a')).toEqual({ key: 'manifests/a', etag: '"ea"' });
    expect(await cursor.find('manifests/bb')).toBeUndefined();
    expect(await cursor.find('manifests/c')).toEqual({ key: 'manifests/c', etag: '"ec"' });
    expect(await cursor.find('manifests/e')).toBeUndefined();
    await cursor.close();
  });

  it('after a run that died before its first commit: cuts the index back to where the run started', async () => {
    const { state, index } = fixture();
    writeFileSync(index, '{"sample":"old"}\n{"sample":"new"}\n');
    writeFileSync(join(state, 'run.log'), 'start 17\n+\tmanifests/x\t"ex"\n');
    await Checkpoint.open(state, index);
    expect(readFileSync(index, 'utf8')).toBe('{"sample":"old"}\n');
    expect(readFileSync(join(state, 'done.tsv'), 'utf8')).toBe('');
  });

  it('folds a finished run into done.tsv, keeping the entries of earlier runs', async () => {
    const { state, index } = fixture();
    writeFileSync(join(state, 'done.tsv'), 'manifests/m\t"em"\n');
    const checkpoint = await Checkpoint.open(state, index);
    await checkpoint.begin(0);
    await checkpoint.commit([{ key: 'manifests/a', etag: '"ea"' }], 10);
    await checkpoint.commit([{ key: 'manifests/z', etag: '"ez"' }], 20);
    await checkpoint.finish();
    expect(readFileSync(join(state, 'done.tsv'), 'utf8')).toBe('manifests/a\t"ea"\nmanifests/m\t"em"\nmanifests/z\t"ez"\n');
    expect(existsSync(join(state, 'run.log'))).toBe(false);
  });
});
