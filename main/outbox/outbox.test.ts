import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type NewOutboxEntry } from './index';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'voicevault-outbox-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

function sealedSample(sample: string, sizes = [2000, 500]): NewOutboxEntry {
  return {
    sample,
    source: 'take',
    promptId: 'p-01',
    createdAt: '2026-05-01T10:00:00.000Z',
    objects: sizes.map((size, i) => {
      const ciphertext = randomBytes(size);
      return {
        key: `features/demo/contractor/${sample}.${i}.sealed`,
        ciphertext,
        sha256: sha256(ciphertext),
        sealedWith: 'kms' as const,
        metadata: { 'audit-head': `head-${i}` },
      };
    }),
  };
}

describe('the outbox', () => {
  it('keeps an added sample on disk, readable after reopening, with user-only permissions', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000A');
    const outbox = await Outbox.open(dir);
    const added = await outbox.add(input);
    expect(added).toMatchObject({ sample: input.sample, source: 'take', promptId: 'p-01', state: 'sealed', attempts: 0 });

    const reopened = await Outbox.open(dir);
    const [entry] = await reopened.list();
    expect(entry?.sample).toBe(input.sample);
    expect(entry?.objects.map((o) => [o.key, o.bytes, o.sha256, o.sealedWith, o.metadata, o.upload])).toEqual(
      input.objects.map((o) => [o.key, o.ciphertext.length, o.sha256, 'kms', o.metadata, { status: 'pending', sent: false }]),
    );
    for (const object of input.objects) {
      expect((await reopened.readObject(input.sample, object.key)).equals(object.ciphertext)).toBe(true);
    }
    const entryDir = join(dir, 'entries', input.sample);
    for (const name of await readdir(entryDir)) expect((await stat(join(entryDir, name))).mode & 0o777).toBe(0o600);
    expect((await stat(entryDir)).mode & 0o777).toBe(0o700);
  });

  it('reads a byte range of an object, shorter at its end', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000B', [10_000]);
    const outbox = await Outbox.open(dir);
    await outbox.add(input);
    const bytes = input.objects[0]!.ciphertext;
    const key = input.objects[0]!.key;
    expect((await outbox.readObjectRange(input.sample, key, 4000, 3000)).equals(bytes.subarray(4000, 7000))).toBe(true);
    expect((await outbox.readObjectRange(input.sample, key, 9000, 3000)).equals(bytes.subarray(9000))).toBe(true);
  });

  it('refuses a sample that is already queued and keeps the first one', async () => {
    const outbox = await Outbox.open(dir);
    const first = sealedSample('01JSAMPLE0000000000000000C');
    await outbox.add(first);
    await expect(outbox.add(sealedSample('01JSAMPLE0000000000000000C'))).rejects.toMatchObject({ code: 'AlreadyExists' });
    expect((await outbox.readObject(first.sample, first.objects[0]!.key)).equals(first.objects[0]!.ciphertext)).toBe(true);
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);
  });

  it('refuses a SHA-256 that does not match the sealed bytes and queues nothing', async () => {
    const outbox = await Outbox.open(dir);
    const input = sealedSample('01JSAMPLE0000000000000000D');
    input.objects[1]!.sha256 = sha256(Buffer.from('something else'));
    await expect(outbox.add(input)).rejects.toMatchObject({ code: 'IntegrityError', message: expect.stringContaining(input.objects[1]!.key) });
    expect(await outbox.list()).toEqual([]);
  });

  it('refuses sample ids that are not plain names', async () => {
    const outbox = await Outbox.open(dir);
    for (const sample of ['../escape', '', 'a/b', '.hidden']) {
      await expect(outbox.add(sealedSample(sample))).rejects.toMatchObject({ code: 'InvalidArgument' });
    }
    await expect(outbox.get('../../etc')).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('says plainly when a sample is not there', async () => {
    const outbox = await Outbox.open(dir);
    await expect(outbox.get('01JMISSING000000000000000')).rejects.toMatchObject({ code: 'NotFound' });
    await expect(outbox.readObject('01JMISSING000000000000000', 'k')).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('records upload progress durably and never lets an update change the sealed objects', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000E');
    const outbox = await Outbox.open(dir);
    await outbox.add(input);
    await outbox.update(input.sample, (entry) => {
      entry.state = 'uploading';
      entry.attempts = 1;
      entry.objects[0]!.upload = {
        status: 'pending',
        sent: true,
        multipart: { uploadId: 'upload-1', partSize: 5 * 1024 * 1024, parts: [{ partNumber: 1, etag: '"e1"', sha256: input.objects[0]!.sha256, bytes: 2000 }] },
      };
    });
    const reopened = await Outbox.open(dir);
    const entry = await reopened.get(input.sample);
    expect(entry.state).toBe('uploading');
    expect(entry.objects[0]!.upload.multipart?.uploadId).toBe('upload-1');

    await expect(
      reopened.update(input.sample, (e) => {
        e.objects[0]!.sha256 = input.objects[1]!.sha256;
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(
      reopened.update(input.sample, (e) => {
        e.state = 'lost' as never;
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect((await reopened.get(input.sample)).objects[0]!.sha256).toBe(input.objects[0]!.sha256);
  });

  it('applies concurrent updates one after another', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000F');
    const outbox = await Outbox.open(dir);
    await outbox.add(input);
    await Promise.all(
      Array.from({ length: 25 }, () =>
        outbox.update(input.sample, (entry) => {
          entry.attempts += 1;
        }),
      ),
    );
    expect((await outbox.get(input.sample)).attempts).toBe(25);
  });

  it('replaces a device-sealed object with its KMS-sealed version and drops the old file', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000G');
    input.objects[0]!.sealedWith = 'device';
    const outbox = await Outbox.open(dir);
    const before = await outbox.add(input);
    const resealed = randomBytes(2100);
    const after = await outbox.replaceObject(input.sample, input.objects[0]!.key, { ciphertext: resealed, sha256: sha256(resealed), sealedWith: 'kms' });

    expect(after.objects[0]).toMatchObject({ sealedWith: 'kms', bytes: 2100, sha256: sha256(resealed), upload: { status: 'pending', sent: false } });
    expect((await (await Outbox.open(dir)).readObject(input.sample, input.objects[0]!.key)).equals(resealed)).toBe(true);
    const files = await readdir(join(dir, 'entries', input.sample));
    expect(files).not.toContain(before.objects[0]!.file);
    expect(files.sort()).toEqual([after.objects[0]!.file, after.objects[1]!.file, 'entry.json'].sort());

    await expect(
      outbox.replaceObject(input.sample, input.objects[0]!.key, { ciphertext: resealed, sha256: input.objects[1]!.sha256, sealedWith: 'kms' }),
    ).rejects.toMatchObject({ code: 'IntegrityError' });
  });

  it('refuses to replace an object that may already be in S3', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000H');
    const outbox = await Outbox.open(dir);
    await outbox.add(input);
    await outbox.update(input.sample, (entry) => {
      entry.objects[0]!.upload.sent = true;
    });
    const other = randomBytes(10);
    await expect(outbox.replaceObject(input.sample, input.objects[0]!.key, { ciphertext: other, sha256: sha256(other), sealedWith: 'kms' })).rejects.toMatchObject({
      code: 'Conflict',
    });
  });

  it('removes an entry and all of its files; removing it again does nothing', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000J');
    const outbox = await Outbox.open(dir);
    await outbox.add(input);
    await outbox.remove(input.sample);
    expect(await outbox.has(input.sample)).toBe(false);
    expect(await readdir(join(dir, 'entries'))).toEqual([]);
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);
    await outbox.remove(input.sample);
  });

  it('clears what an interrupted write left behind when it opens, and nothing else', async () => {
    const input = sealedSample('01JSAMPLE0000000000000000K');
    const outbox = await Outbox.open(dir);
    const entry = await outbox.add(input);
    const entryDir = join(dir, 'entries', input.sample);
    await mkdir(join(dir, '.incoming', '01JHALFWRITTEN00000000000.abc123'));
    await writeFile(join(dir, '.incoming', '01JHALFWRITTEN00000000000.abc123', 'o0-000000000000.sealed'), randomBytes(100));
    await writeFile(join(entryDir, 'entry.json.0123456789ab.tmp'), '{"half":');
    await writeFile(join(entryDir, 'o0-ffffffffffff.sealed'), randomBytes(100)); // a replacement that never got recorded

    const reopened = await Outbox.open(dir);
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);
    expect((await readdir(entryDir)).sort()).toEqual([...entry.objects.map((o) => o.file), 'entry.json'].sort());
    expect(await reopened.list()).toEqual([entry]);
  });

  it('skips a damaged record in the list but leaves it on disk', async () => {
    const good = sealedSample('01JSAMPLE0000000000000000L');
    const damaged = sealedSample('01JSAMPLE0000000000000000M');
    const outbox = await Outbox.open(dir);
    await outbox.add(good);
    await outbox.add(damaged);
    const damagedJson = join(dir, 'entries', damaged.sample, 'entry.json');
    await writeFile(damagedJson, '{ not json');

    const reopened = await Outbox.open(dir);
    expect((await reopened.list()).map((e) => e.sample)).toEqual([good.sample]);
    await expect(reopened.get(damaged.sample)).rejects.toMatchObject({ code: 'IntegrityError' });
    expect(await readFile(damagedJson, 'utf8')).toBe('{ not json');
    expect((await readdir(join(dir, 'entries', damaged.sample))).length).toBe(3);
  });

  it('lists entries oldest first', async () => {
    const outbox = await Outbox.open(dir);
    const later = { ...sealedSample('01JSAMPLE0000000000000000N'), createdAt: '2026-05-02T00:00:00.000Z' };
    const earlier = { ...sealedSample('01JSAMPLE0000000000000000P'), createdAt: '2026-05-01T00:00:00.000Z' };
    await outbox.add(later);
    await outbox.add(earlier);
    expect((await outbox.list()).map((e) => e.sample)).toEqual([earlier.sample, later.sample]);
  });
});
