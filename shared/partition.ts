// The partition schema (docs/architecture.md): who writes where, what is kept, and what a take must meet.
// Admins write these as `config/partitions/<id>.json`; the app validates them on read, the admin
// tooling before every write, so a malformed partition never reaches the bucket.
import { z } from 'zod';
import { voiceVaultConfig } from './config';

/** How big a partition may grow: its prompt script is read by every contractor's app. */
export const partitionLimits = {
  maxPrompts: 2000,
  maxPromptTextLength: 2000,
  /** A prompt TSV larger than this is refused before it is parsed. */
  maxPromptTsvBytes: 1024 * 1024,
  /** The serialised configuration an admin may save. */
  maxConfigBytes: 2 * 1024 * 1024,
  maxRetentionDays: 36_500,
  /** The recorder holds at most ten minutes of a take in memory. */
  maxTakeSeconds: 600,
} as const;

export const partitionIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const partitionId = z
  .string()
  .regex(partitionIdPattern, 'a partition id is 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit');

/** Prompt ids travel in manifests and the ledger: no spaces, slashes or control characters. */
export const promptIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** The consent version is part of every object's encryption context (main/crypto checks the same rule). */
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const consentVersionPattern = /^[^\u0000-\u001f\u007f]{1,128}$/;

export const featureTiers = ['log-mel', 'mfcc', 'summary'] as const;
export type FeatureTier = (typeof featureTiers)[number];

export const featurePresets = ['speech16k', 'librosa_default'] as const;
export type FeaturePreset = (typeof featurePresets)[number];

const days = () =>
  z
    .number('must be a number of days')
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(partitionLimits.maxRetentionDays, `must be at most ${partitionLimits.maxRetentionDays} days`);

export const audioRequirementsSchema = z
  .object({
    sampleRate: z.number().int('sampleRate must be a whole number of Hz').min(8000, 'sampleRate must be at least 8000 Hz').max(192000, 'sampleRate must be at most 192000 Hz'),
    minSeconds: z.number().positive('minSeconds must be above 0'),
    maxSeconds: z.number().positive('maxSeconds must be above 0').max(partitionLimits.maxTakeSeconds, `maxSeconds must be at most ${partitionLimits.maxTakeSeconds} (ten minutes)`),
    maxClippedPct: z.number().min(0, 'maxClippedPct must be between 0 and 100').max(100, 'maxClippedPct must be between 0 and 100'),
    minSnrDb: z.number(),
    maxSilencePct: z.number().min(0, 'maxSilencePct must be between 0 and 100').max(100, 'maxSilencePct must be between 0 and 100'),
    minSpeechDbfs: z.number().max(0, 'minSpeechDbfs must be 0 dBFS or below'),
  })
  .strict()
  .refine((r) => r.minSeconds < r.maxSeconds, { message: 'minSeconds must be below maxSeconds', path: ['minSeconds'] });
export type AudioRequirements = z.infer<typeof audioRequirementsSchema>;

export const promptSchema = z
  .object({
    id: z.string().regex(promptIdPattern, 'a prompt id is 1 to 64 letters, digits, ".", ":", "_" or "-", starting with a letter or digit'),
    text: z
      .string()
      .max(partitionLimits.maxPromptTextLength, `a prompt is at most ${partitionLimits.maxPromptTextLength} characters`)
      .regex(/\S/, 'a prompt must have some text'),
  })
  .strict();
export type Prompt = z.infer<typeof promptSchema>;

const promptsSchema = z
  .array(promptSchema)
  .min(1, 'a partition needs at least one prompt')
  .max(partitionLimits.maxPrompts, `a partition holds at most ${partitionLimits.maxPrompts} prompts`)
  .superRefine((prompts, ctx) => {
    const firstAt = new Map<string, number>();
    prompts.forEach((prompt, index) => {
      const first = firstAt.get(prompt.id);
      if (first === undefined) firstAt.set(prompt.id, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `prompt id "${prompt.id}" is used twice (prompts ${first + 1} and ${index + 1})` });
    });
  });

export const partitionSchema = z
  .object({
    id: partitionId,
    name: z.string().regex(/\S/, 'the name must not be empty').max(200, 'the name is at most 200 characters'),
    keepRaw: z.boolean().default(false),
    rawGlacierDays: days().default(voiceVaultConfig.bucket.lifecycle.rawGlacierDaysDefault),
    rawExpireDays: days().default(voiceVaultConfig.bucket.lifecycle.rawExpireDaysDefault),
    featureTier: z.enum(featureTiers, `the feature tier is one of ${featureTiers.join(', ')}`).default('log-mel'),
    preset: z.enum(featurePresets, `the preset is one of ${featurePresets.join(', ')}`).default('speech16k'),
    requirements: audioRequirementsSchema,
    prompts: promptsSchema,
    consent: z
      .object({
        version: z.string().regex(consentVersionPattern, 'the consent version is 1 to 128 printable characters'),
        text: z.string().regex(/\S/, 'the consent text must not be empty').max(20_000, 'the consent text is at most 20000 characters'),
      })
      .strict(),
    /** The recorder asks the contractor to play each take back before it can be submitted. */
    listenBeforeSubmit: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.rawGlacierDays >= p.rawExpireDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['rawGlacierDays'],
        message: `raw audio would move to Glacier after ${p.rawGlacierDays} days but expire after ${p.rawExpireDays}; rawGlacierDays must be below rawExpireDays`,
      });
    }
  });
export type Partition = z.infer<typeof partitionSchema>;

/** Sane defaults for a speech partition; the quality report checks takes against these. */
export const defaultRequirements: AudioRequirements = {
  sampleRate: 16000,
  minSeconds: 1,
  maxSeconds: 30,
  maxClippedPct: 0.1,
  minSnrDb: 15,
  maxSilencePct: 50,
  minSpeechDbfs: -30,
};

/** The partition the emulator and the demo provision: features only, like the seeds. */
export const demoPartition: Partition = partitionSchema.parse({
  id: 'demo',
  name: 'Demo partition',
  keepRaw: false,
  featureTier: 'log-mel',
  preset: 'speech16k',
  requirements: defaultRequirements,
  prompts: [
    { id: 'p1', text: 'The quick brown fox jumps over the lazy dog.' },
    { id: 'p2', text: 'Please call Stella and ask her to bring these things with her from the store.' },
    { id: 'p3', text: 'Seven slippery seals slid silently into the sea.' },
  ],
  consent: {
    version: '2026-11-01',
    text: 'I agree that my voice recordings and features derived from them are stored encrypted and used to train speech models.',
  },
});

/** Parses an admin's partition JSON, returning plain-words problems instead of throwing. */
export function parsePartition(json: unknown): { ok: true; partition: Partition } | { ok: false; problems: string[] } {
  const result = partitionSchema.safeParse(json);
  if (result.success) return { ok: true, partition: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const where = issue.path.join('.') || 'partition';
      if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      if (issue.code === 'custom') return `${where}: ${issue.message}`;
      const value = valueAt(json, issue.path);
      if (issue.code === 'invalid_type' && value === undefined) return `${where}: is missing`;
      const shown = typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 80) ? ` (got ${JSON.stringify(value)})` : '';
      return `${where}: ${issue.message}${shown}`;
    }),
  };
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
