// One sample, checked the whole way before anything of it is written: the manifest opens under the strict
// keyring with the context its key names; it describes the sample its key names; each features object it
// lists is where a features object of that sample belongs, has exactly the ciphertext SHA-256 and size the
// manifest recorded, and opens with the context of its key plus the manifest's consent and policy.
// A failed check is a rejection with its reason; a problem of the environment (network, KMS, access) is thrown.
import { z } from 'zod';
import { isVoiceVaultError } from '../../shared/errors';
import { contextFromObjectKey, sha256Base64, type KeyContext, type Opener } from '../crypto';
import { manifestFormat } from '../pipeline';
import { featuresPath, type IndexRow, type RejectedRow } from './dataset-writer';

const manifestSchema = z.object({
  format: z.literal(manifestFormat),
  sample: z.string(),
  partition: z.string(),
  contractor: z.string(),
  recordedAt: z.string(),
  source: z.object({ durationSeconds: z.number() }),
  quality: z.object({ peakDbfs: z.number(), rmsDbfs: z.number(), clippedPct: z.number(), snrDb: z.number(), silencePct: z.number(), speechRatio: z.number() }),
  verdict: z.object({ pass: z.boolean() }),
  tier: z.string(),
  promptId: z.string().optional(),
  consentVersion: z.string(),
  policy: z.string(),
  appVersion: z.string(),
  objects: z.array(z.object({ kind: z.string(), key: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() })),
});

type Manifest = z.infer<typeof manifestSchema>;

export interface VerifiedFile {
  path: string;
  bytes: Uint8Array;
  row: IndexRow;
}

export type Verdict = { ok: true; files: VerifiedFile[] } | { ok: false; rejected: RejectedRow };

export interface SampleSources {
  fetch(key: string): Promise<Uint8Array>;
  open: Opener['open'];
}

/** Thrown inside verification to refuse the sample; anything else propagates. */
class Refusal extends Error {
  constructor(
    readonly key: string,
    readonly check: RejectedRow['check'],
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}

const openChecks: Partial<Record<string, RejectedRow['check']>> = {
  ContextMismatch: 'encryption-context',
  IntegrityError: 'message-integrity',
  InvalidArgument: 'object-key',
};

async function openOrRefuse(sources: SampleSources, ciphertext: Uint8Array, key: string, extra?: { consent: string; policy: string }) {
  try {
    return await sources.open(ciphertext, key, extra);
  } catch (error) {
    const check = isVoiceVaultError(error) ? openChecks[error.code] : undefined;
    if (check && isVoiceVaultError(error)) throw new Refusal(key, check, error.code, error.message);
    throw error;
  }
}

async function fetchOrRefuse(sources: SampleSources, key: string, missing: string): Promise<Uint8Array> {
  try {
    return await sources.fetch(key);
  } catch (error) {
    if (isVoiceVaultError(error) && error.code === 'NotFound') throw new Refusal(key, 'missing-object', 'NotFound', `${key} ${missing}.`);
    throw error;
  }
}

function parseManifest(plaintext: Uint8Array, key: string, expected: KeyContext): Manifest {
  const refuse = (why: string) => new Refusal(key, 'manifest', 'IntegrityError', `${key}: ${why}.`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw refuse('the manifest is not JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(`the manifest is not a ${manifestFormat} document (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unknown problem'})`);
  }
  for (const field of ['sample', 'partition', 'contractor'] as const) {
    if (parsed.data[field] !== expected[field]) throw refuse(`the manifest describes ${field} "${parsed.data[field]}", but its key names "${expected[field]}"`);
  }
  return parsed.data;
}

export async function verifySample(manifestKey: string, sources: SampleSources): Promise<Verdict> {
  let expected: KeyContext | undefined;
  try {
    expected = contextFromObjectKey(manifestKey);
    if (expected.kind !== 'manifest') throw new Refusal(manifestKey, 'object-key', 'InvalidArgument', `${manifestKey} is not a manifest key.`);
    const opened = await openOrRefuse(sources, await fetchOrRefuse(sources, manifestKey, 'is listed but was gone when it was read (erased meanwhile?)'), manifestKey);
    const manifest = parseManifest(opened.plaintext, manifestKey, expected);
    if (opened.context.consent !== manifest.consentVersion || opened.context.policy !== manifest.policy) {
      throw new Refusal(manifestKey, 'manifest', 'ContextMismatch', `${manifestKey}: the manifest's consent version or policy differs from the ones it was sealed with.`);
    }
    const listed = manifest.objects.filter((o) => o.kind === 'features');
    if (listed.length === 0) throw new Refusal(manifestKey, 'manifest', 'IntegrityError', `${manifestKey}: the manifest lists no features object.`);

    const files: VerifiedFile[] = [];
    for (const object of listed) {
      let where: KeyContext;
      try {
        where = contextFromObjectKey(object.key);
      } catch (error) {
        throw new Refusal(manifestKey, 'manifest', 'InvalidArgument', `${manifestKey}: it lists ${JSON.stringify(object.key)}, which is not a features key (${(error as Error).message})`);
      }
      if (where.kind !== 'features' || where.partition !== expected.partition || where.contractor !== expected.contractor || where.sample !== expected.sample) {
        throw new Refusal(manifestKey, 'manifest', 'ContextMismatch', `${manifestKey}: it lists ${object.key}, which belongs to another sample or is not a features object.`);
      }
      const ciphertext = await fetchOrRefuse(sources, object.key, 'is listed in the manifest but is not in the bucket');
      const sha256 = sha256Base64(ciphertext);
      if (sha256 !== object.sha256 || ciphertext.length !== object.bytes) {
        throw new Refusal(
          object.key,
          'ciphertext-hash',
          'IntegrityError',
          `${object.key}: its ciphertext (SHA-256 ${sha256}, ${ciphertext.length} bytes) is not the one the manifest recorded (SHA-256 ${object.sha256}, ${object.bytes} bytes); it was replaced.`,
        );
      }
      const { plaintext } = await openOrRefuse(sources, ciphertext, object.key, { consent: manifest.consentVersion, policy: manifest.policy });
      const path = featuresPath(where.partition, where.sample, where.preset!);
      files.push({
        path,
        bytes: plaintext,
        row: {
          sample: where.sample,
          partition: where.partition,
          contractor: where.contractor,
          preset: where.preset!,
          tier: manifest.tier,
          duration_s: manifest.source.durationSeconds,
          quality: {
            pass: manifest.verdict.pass,
            snr_db: manifest.quality.snrDb,
            speech_ratio: manifest.quality.speechRatio,
            clipped_pct: manifest.quality.clippedPct,
            silence_pct: manifest.quality.silencePct,
            rms_dbfs: manifest.quality.rmsDbfs,
            peak_dbfs: manifest.quality.peakDbfs,
          },
          prompt_id: manifest.promptId ?? null,
          consent_version: manifest.consentVersion,
          app_version: manifest.appVersion,
          recorded_at: manifest.recordedAt,
          path,
          bytes: plaintext.length,
        },
      });
    }
    return { ok: true, files };
  } catch (error) {
    if (error instanceof Refusal) {
      return { ok: false, rejected: { key: error.key, sample: expected?.sample ?? null, partition: expected?.partition ?? null, check: error.check, code: error.code, reason: error.message } };
    }
    if (isVoiceVaultError(error) && error.code === 'InvalidArgument' && !expected) {
      return { ok: false, rejected: { key: manifestKey, sample: null, partition: null, check: 'object-key', code: error.code, reason: error.message } };
    }
    throw error;
  }
}
