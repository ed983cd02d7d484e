// The partition schema of DESIGN.md: who writes where, what is kept, and what a take must meet.
// Admins write these as `config/partitions/<id>.json`; the app validates them on read.
import { z } from 'zod';
import { voiceVaultConfig } from './config';

const partitionId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'partition id: lowercase letters, digits and dashes, at most 63');

export const featureTiers = ['log-mel', 'mfcc', 'summary'] as const;
export type FeatureTier = (typeof featureTiers)[number];

export const featurePresets = ['speech16k', 'librosa_default'] as const;
export type FeaturePreset = (typeof featurePresets)[number];

export const audioRequirementsSchema = z
  .object({
    sampleRate: z.number().int().min(8000).max(192000),
    minSeconds: z.number().positive(),
    maxSeconds: z.number().positive(),
    maxClippedPct: z.number().min(0).max(100),
    minSnrDb: z.number(),
    maxSilencePct: z.number().min(0).max(100),
    minSpeechDbfs: z.number().max(0),
  })
  .strict()
  .refine((r) => r.minSeconds < r.maxSeconds, { message: 'minSeconds must be below maxSeconds' });
export type AudioRequirements = z.infer<typeof audioRequirementsSchema>;

export const promptSchema = z.object({ id: z.string().min(1).max(64), text: z.string().min(1).max(2000) }).strict();
export type Prompt = z.infer<typeof promptSchema>;

export const partitionSchema = z
  .object({
    id: partitionId,
    name: z.string().min(1).max(200),
    keepRaw: z.boolean().default(false),
    rawGlacierDays: z.number().int().positive().default(voiceVaultConfig.bucket.lifecycle.rawGlacierDaysDefault),
    rawExpireDays: z.number().int().positive().default(voiceVaultConfig.bucket.lifecycle.rawExpireDaysDefault),
    featureTier: z.enum(featureTiers).default('log-mel'),
    preset: z.enum(featurePresets).default('speech16k'),
    requirements: audioRequirementsSchema,
    prompts: z.array(promptSchema).min(1),
    consent: z.object({ version: z.string().min(1), text: z.string().min(1) }).strict(),
    /** The recorder asks the contractor to play each take back before it can be submitted. */
    listenBeforeSubmit: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.rawGlacierDays < p.rawExpireDays, {
    message: 'rawGlacierDays must be below rawExpireDays',
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
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'partition'}: ${issue.message}`),
  };
}
