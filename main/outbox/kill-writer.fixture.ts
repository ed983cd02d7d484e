// Run by kill.test.ts in a child process that is SIGKILLed at a random instant: adds samples,
// updates and removes them, as fast as it can, printing each sample once its add has returned
// and before it starts removing one.
import { createHash, randomBytes } from 'node:crypto';
import { Outbox } from './index';

const dir = process.argv[2];
const prefix = process.argv[3];
if (!dir || !prefix) throw new Error('usage: kill-writer.fixture.ts <outbox dir> <sample prefix>');

const outbox = await Outbox.open(dir);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const sample = `${prefix}${String(i).padStart(6, '0')}`;
  const objects = [300 * 1024, 40 * 1024].map((size, n) => {
    const ciphertext = randomBytes(size);
    return {
      key: `raw/demo/c/${sample}.${n}.sealed`,
      ciphertext,
      sha256: createHash('sha256').update(ciphertext).digest('base64'),
      sealedWith: 'device' as const,
      metadata: { n: String(n) },
    };
  });
  await outbox.add({ sample, source: 'kill-test', createdAt: new Date().toISOString(), objects });
  process.stdout.write(`added ${sample}\n`);
  await outbox.update(sample, (entry) => {
    entry.state = 'uploading';
    entry.attempts += 1;
  });
  const resealed = randomBytes(310 * 1024);
  await outbox.replaceObject(sample, objects[0]!.key, {
    ciphertext: resealed,
    sha256: createHash('sha256').update(resealed).digest('base64'),
    sealedWith: 'kms',
  });
  if (i % 3 === 2) {
    process.stdout.write(`removing ${sample}\n`); // from here on it may be gone
    await outbox.remove(sample);
  }
}
