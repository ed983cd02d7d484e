// A real full disk: a 2 MiB tmpfs mounted for this file. Mounting needs CAP_SYS_ADMIN (root in
// the CI container); elsewhere the file says why it was skipped.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox, type NewOutboxEntry } from './index';

const mountPoint = mkdtempSync(join(tmpdir(), 'voicevault-full-disk-'));
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint], { encoding: 'utf8' });
const mounted = mount.status === 0;
if (!mounted) {
  console.warn(`disk-full.test.ts skipped: could not mount a small tmpfs (${(mount.stderr || mount.error?.message || 'unknown').trim()}); it needs CAP_SYS_ADMIN.`);
}

afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

function sealedSample(index: number, bytes: number): NewOutboxEntry {
  const ciphertext = randomBytes(bytes);
  return {
    sample: `01JFULLDISK${String(index).padStart(15, '0')}`,
    source: `clip-${index}.wav`,
    createdAt: new Date(Date.UTC(2026, 4, 1, 0, 0, index)).toISOString(),
    objects: [{ key: `raw/demo/c/${index}.sealed`, ciphertext, sha256: sha256(ciphertext), sealedWith: 'kms', metadata: {} }],
  };
}

/** Fills the disk to the last byte with a file the test can delete again. */
async function fillDisk(path: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (const size of [64 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          await handle.write(chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    await handle.close();
  }
}

describe.runIf(mounted)('the outbox on a full disk', () => {
  const dir = join(mountPoint, 'outbox');
  mkdirSync(dir, { recursive: true });

  it('says the disk is full, keeps every earlier sample whole and leaves no half-written entry', async () => {
    const outbox = await Outbox.open(dir);
    const added: NewOutboxEntry[] = [];
    let failure: unknown;
    for (let i = 0; i < 10 && failure === undefined; i++) {
      const input = sealedSample(i, 600 * 1024);
      try {
        await outbox.add(input);
        added.push(input);
      } catch (error) {
        failure = error;
      }
    }
    expect(added.length).toBeGreaterThan(0);
    expect(failure).toMatchObject({ code: 'DiskFull', message: expect.stringMatching(/^The disk is full: .*nothing was lost/) });

    const reopened = await Outbox.open(dir);
    expect((await reopened.list()).map((e) => e.sample)).toEqual(added.map((a) => a.sample));
    for (const input of added) {
      const object = input.objects[0]!;
      expect(sha256(await reopened.readObject(input.sample, object.key))).toBe(object.sha256);
    }
    expect(await readdir(join(dir, '.incoming'))).toEqual([]);

    // Space freed: the sample that did not fit now goes in.
    await reopened.remove(added[0]!.sample);
    const retry = sealedSample(99, 600 * 1024);
    await reopened.add(retry);
    expect(await reopened.has(retry.sample)).toBe(true);
  });

  it('keeps the last saved upload state when the disk fills before an update', async () => {
    const outbox = await Outbox.open(dir);
    const [entry] = await outbox.list();
    const before = await readFile(join(dir, 'entries', entry!.sample, 'entry.json'), 'utf8');
    const filler = join(mountPoint, 'filler');
    await fillDisk(filler);
    try {
      const update = outbox.update(entry!.sample, (e) => {
        e.state = 'uploading';
        e.attempts += 1;
      });
      await expect(update).rejects.toMatchObject({ code: 'DiskFull' });
      expect(await readFile(join(dir, 'entries', entry!.sample, 'entry.json'), 'utf8')).toBe(before);
      expect((await readdir(join(dir, 'entries', entry!.sample))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      const replacement = randomBytes(300 * 1024);
      const replace = outbox.replaceObject(entry!.sample, entry!.objects[0]!.key, { ciphertext: replacement, sha256: sha256(replacement), sealedWith: 'kms' });
      await expect(replace).rejects.toMatchObject({ code: 'DiskFull' });
      expect(sha256(await outbox.readObject(entry!.sample, entry!.objects[0]!.key))).toBe(entry!.objects[0]!.sha256);
    } finally {
      await rm(filler, { force: true });
    }
    const reopened = await Outbox.open(dir);
    expect(await reopened.get(entry!.sample)).toEqual(entry);
    expect((await readdir(join(dir, 'entries', entry!.sample))).length).toBe(2);
  });
});
