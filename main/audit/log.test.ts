import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, verifyAuditChain, type AuditRecord } from '.';

const zeros = '0'.repeat(64);
const shaA = createHash('sha256').update('ciphertext A').digest('base64');
const shaB = createHash('sha256').update('ciphertext B').digest('base64');

let directory: string;
let path: string;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'voicevault-audit-'));
  path = join(directory, 'nested', 'audit.jsonl');
  clock = Date.UTC(2025, 0, 2, 3, 4, 5);
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function lines(): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').slice(0, -1);
}

async function writeLines(content: string[]): Promise<void> {
  await writeFile(path, content.map((line) => `${line}\n`).join(''));
}

/** A log of four records: sealed, uploaded, sealed, uploaded. */
async function fourRecords(): Promise<AuditRecord[]> {
  const log = await AuditLog.open(path, { now });
  const records: AuditRecord[] = [];
  for (const [action, sample, sha256] of [['sealed', 'S1', shaA], ['uploaded', 'S1', shaA], ['sealed', 'S2', shaB], ['uploaded', 'S2', shaB]] as const) {
    clock += 1000;
    records.push(await log.append({ action, sample, objects: [{ key: `features/demo/c/${sample}.speech16k.sealed`, sha256 }] }));
  }
  await log.close();
  return records;
}

describe('the audit log', () => {
  it('chains each record to the one before by the SHA-256 of its canonical JSON', async () => {
    const log = await AuditLog.open(path, { now });
    expect(log.head()).toBe(zeros);
    const first = await log.append({ action: 'sealed', sample: 'S1', objects: [{ key: 'features/demo/c/S1.speech16k.sealed', sha256: shaA }], detail: { sealedWith: 'kms', bytes: 1234 } });

    // Written out by hand: keys sorted, no spaces, without `hash`.
    const canonical = `{"action":"sealed","detail":{"bytes":1234,"sealedWith":"kms"},"objects":[{"key":"features/demo/c/S1.speech16k.sealed","sha256":"${shaA}"}],"prev":"${zeros}","sample":"S1","seq":1,"time":"2025-01-02T03:04:05.000Z"}`;
    const expectedHash = createHash('sha256').update(canonical).digest('hex');
    expect(first).toEqual({
      seq: 1,
      time: '2025-01-02T03:04:05.000Z',
      action: 'sealed',
      sample: 'S1',
      objects: [{ key: 'features/demo/c/S1.speech16k.sealed', sha256: shaA }],
      detail: { sealedWith: 'kms', bytes: 1234 },
      prev: zeros,
      hash: expectedHash,
    });

    clock += 60_000;
    const second = await log.append({ action: 'rejected' });
    const secondCanonical = `{"action":"rejected","detail":{},"objects":[],"prev":"${expectedHash}","sample":null,"seq":2,"time":"2025-01-02T03:05:05.000Z"}`;
    expect(second.hash).toBe(createHash('sha256').update(secondCanonical).digest('hex'));
    expect(log.head()).toBe(second.hash);
    await log.close();

    expect(await lines()).toHaveLength(2);
    expect(JSON.parse((await lines())[0]!)).toEqual(first);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await verifyAuditChain(path)).toMatchObject({ ok: true, problems: [], head: second.hash });
  });

  it('continues the chain after it is opened again', async () => {
    const records = await fourRecords();
    const log = await AuditLog.open(path, { now });
    expect(log.head()).toBe(records[3]!.hash);
    const fifth = await log.append({ action: 'erased', sample: 'S1' });
    await log.close();
    expect(fifth).toMatchObject({ seq: 5, prev: records[3]!.hash });
    const verified = await verifyAuditChain(path);
    expect(verified.ok).toBe(true);
    expect(verified.records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('writes concurrent appends one at a time, in call order', async () => {
    const log = await AuditLog.open(path, { now });
    const appended = await Promise.all(Array.from({ length: 40 }, (_, i) => log.append({ action: 'sealed', sample: `S${i}` })));
    await log.close();
    expect(appended.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const verified = await verifyAuditChain(path);
    expect(verified.ok).toBe(true);
    expect(verified.records.map((r) => r.sample)).toEqual(Array.from({ length: 40 }, (_, i) => `S${i}`));
  });

  it('refuses a malformed entry and writes nothing', async () => {
    const log = await AuditLog.open(path, { now });
    await expect(log.append({ action: 'Sealed!' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(log.append({ action: 'sealed', objects: [{ key: 'k', sha256: 'not-base64-sha' }] })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(log.append({ action: 'sealed', sample: '../x' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(log.append({ action: 'sealed', detail: { ratio: Number.NaN } })).rejects.toMatchObject({ code: 'InvalidArgument' });
    const ok = await log.append({ action: 'sealed' });
    await log.close();
    expect(ok.seq).toBe(1);
    expect(await lines()).toHaveLength(1);
  });
});

describe('verifying the chain', () => {
  it('finds an edited line', async () => {
    await fourRecords();
    const content = await lines();
    content[1] = content[1]!.replace('"S1"', '"S9"');
    await writeLines(content);
    const verified = await verifyAuditChain(path);
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([{ line: 2, problem: expect.stringContaining('was edited') }]);
  });

  it('finds an edited line whose hash was recomputed, at the line after it', async () => {
    await fourRecords();
    const content = await lines();
    const record = JSON.parse(content[1]!) as AuditRecord;
    const { hash: _hash, ...body } = { ...record, sample: 'S9' };
    const canonical = JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1))));
    content[1] = JSON.stringify({ ...body, hash: createHash('sha256').update(canonical).digest('hex') });
    await writeLines(content);
    const verified = await verifyAuditChain(path);
    expect(verified.problems).toEqual([{ line: 3, problem: expect.stringContaining('does not follow the line before it') }]);
  });

  it('finds a removed line', async () => {
    await fourRecords();
    const content = await lines();
    content.splice(1, 1);
    await writeLines(content);
    const verified = await verifyAuditChain(path);
    expect(verified.problems).toEqual([{ line: 2, problem: expect.stringContaining('1 record(s) before it were removed') }]);
  });

  it('finds reordered lines', async () => {
    await fourRecords();
    const content = await lines();
    [content[1], content[2]] = [content[2]!, content[1]!];
    await writeLines(content);
    const verified = await verifyAuditChain(path);
    expect(verified.ok).toBe(false);
    expect(verified.problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });

  it('finds an inserted line, even one with a valid hash and link', async () => {
    await fourRecords();
    const content = await lines();
    const before = JSON.parse(content[1]!) as AuditRecord;
    const body = { action: 'uploaded', detail: {}, objects: [], prev: before.hash, sample: 'S7', seq: before.seq + 1, time: before.time };
    const forged = { ...body, hash: createHash('sha256').update(JSON.stringify(body)).digest('hex') };
    content.splice(2, 0, JSON.stringify(forged));
    await writeLines(content);
    const verified = await verifyAuditChain(path);
    expect(verified.problems).toEqual([{ line: 4, problem: expect.stringContaining('a line was inserted before it') }]);
  });

  it('finds lines that are not records', async () => {
    await fourRecords();
    const content = await lines();
    content.splice(1, 0, '');
    content.push('{"hello":"world"}');
    await writeLines(content);
    const verified = await verifyAuditChain(path);
    expect(verified.problems).toEqual([
      { line: 2, problem: 'line 2 is empty' },
      { line: 6, problem: expect.stringContaining('is not an audit record') },
    ]);
  });

  it('cannot see the last lines removed: the chain is shorter but valid (the bucket shows it)', async () => {
    const records = await fourRecords();
    await writeLines((await lines()).slice(0, 2));
    const verified = await verifyAuditChain(path);
    expect(verified).toMatchObject({ ok: true, head: records[1]!.hash });
  });
});

describe('a torn last line after a crash', () => {
  it('is reported by verify and never accepted', async () => {
    await fourRecords();
    await appendFile(path, '{"action":"sealed","detail":{},"obj');
    const verified = await verifyAuditChain(path);
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([{ line: 5, problem: expect.stringContaining('incomplete: a write was interrupted') }]);
    expect(verified.records).toHaveLength(4);
  });

  it('is cut off when the log is opened, and the repair is recorded in the chain', async () => {
    const records = await fourRecords();
    const fragment = '{"action":"sealed","detail":{},"obj';
    await appendFile(path, fragment);

    const log = await AuditLog.open(path, { now });
    const repaired = JSON.parse((await lines()).at(-1)!) as AuditRecord;
    expect(repaired).toMatchObject({
      seq: 5,
      action: 'repaired',
      prev: records[3]!.hash,
      detail: { droppedBytes: fragment.length, droppedSha256: createHash('sha256').update(fragment).digest('hex') },
    });
    expect(log.head()).toBe(repaired.hash);
    await log.append({ action: 'sealed', sample: 'S3' });
    await log.close();

    expect(await readFile(path, 'utf8')).not.toContain(fragment);
    const verified = await verifyAuditChain(path);
    expect(verified.ok).toBe(true);
    expect(verified.records.map((r) => r.action)).toEqual(['sealed', 'uploaded', 'sealed', 'uploaded', 'repaired', 'sealed']);
  });

  it('is cut off even when it is the only line', async () => {
    await writeFile(path.replace('nested/', ''), '{"seq":1,"ti');
    const alone = path.replace('nested/', '');
    const log = await AuditLog.open(alone, { now });
    await log.close();
    const verified = await verifyAuditChain(alone);
    expect(verified.ok).toBe(true);
    expect(verified.records).toMatchObject([{ seq: 1, action: 'repaired', prev: zeros, detail: { droppedBytes: 12 } }]);
  });

  it('refuses to open a log whose last complete line is damaged', async () => {
    await fourRecords();
    await appendFile(path, 'this is not json\n');
    await expect(AuditLog.open(path, { now })).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining('voicevault audit verify') });
  });
});
