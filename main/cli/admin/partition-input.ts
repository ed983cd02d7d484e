// Builds a partition from what an admin typed: a JSON file (--from), then flags on top; prompts from a
// TSV, consent text from a file. Files are read and checked here, before any sign-in.
import { readFile } from 'node:fs/promises';
import { VoiceVaultError } from '../../../shared/errors';
import type { Prompt } from '../../../shared/partition';
import { parsePromptsTsv } from '../../partitions';
import { text, wholeNumber, yesNo, type Values } from './verb';

export const partitionOptions = {
  from: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  'keep-raw': { type: 'string' },
  'glacier-days': { type: 'string' },
  'expire-days': { type: 'string' },
  tier: { type: 'string' },
  preset: { type: 'string' },
  prompts: { type: 'string' },
  'consent-version': { type: 'string' },
  'consent-file': { type: 'string' },
  'listen-before-submit': { type: 'string' },
  requirements: { type: 'string' },
} as const;

export const partitionUsage = `  --from <partition.json>             start from a partition file (the flags below change it)
  --name <text>                       display name
  --keep-raw yes|no                   keep the sealed raw audio (default no)
  --glacier-days <N> --expire-days <M>  raw audio to Glacier after N days, deleted after M (defaults 30 / 365)
  --tier log-mel|mfcc|summary         stored feature tier     --preset speech16k|librosa_default
  --prompts <file.tsv>                the prompt script: one "<id><TAB><text>" line per prompt
  --consent-version <v> --consent-file <file.txt>   the consent contractors accept (new text needs a new version)
  --listen-before-submit yes|no       contractors must play each take back before submitting it
  --requirements <file.json>          audio requirements (sampleRate, minSeconds, maxSeconds, maxClippedPct,
                                      minSnrDb, maxSilencePct, minSpeechDbfs)`;

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VoiceVaultError('FileNotFound', `Cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}.`, { cause: error });
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  const body = await readText(path, what);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new VoiceVaultError('InvalidPartition', `The ${what} ${path} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
}

export async function readPromptFile(path: string): Promise<Prompt[]> {
  return parsePromptsTsv(await readText(path, 'prompt file'));
}

/** The changes the flags ask for, as a function of the current partition (or of {} when creating). */
export async function partitionChanges(values: Values): Promise<(current: Record<string, unknown>) => Record<string, unknown>> {
  const from = text(values, 'from');
  const base = from ? await readJson(from, 'partition file') : undefined;
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base))) throw new VoiceVaultError('InvalidPartition', `The partition file ${from} must hold one JSON object.`);
  const promptsFile = text(values, 'prompts');
  const prompts = promptsFile ? await readPromptFile(promptsFile) : undefined;
  const consentFile = text(values, 'consent-file');
  const consentText = consentFile ? (await readText(consentFile, 'consent file')).trim() : undefined;
  const requirementsFile = text(values, 'requirements');
  const requirements = requirementsFile ? await readJson(requirementsFile, 'requirements file') : undefined;
  const consentVersion = text(values, 'consent-version');
  const flags: Record<string, unknown> = {
    id: text(values, 'id'),
    name: text(values, 'name'),
    keepRaw: yesNo(values, 'keep-raw'),
    rawGlacierDays: wholeNumber(values, 'glacier-days'),
    rawExpireDays: wholeNumber(values, 'expire-days'),
    featureTier: text(values, 'tier'),
    preset: text(values, 'preset'),
    prompts,
    requirements,
    listenBeforeSubmit: yesNo(values, 'listen-before-submit'),
  };
  for (const key of Object.keys(flags)) if (flags[key] === undefined) delete flags[key];
  return (current) => {
    const next: Record<string, unknown> = { ...current, ...(base as Record<string, unknown> | undefined), ...flags };
    if (consentVersion !== undefined || consentText !== undefined) {
      const consent = (next.consent ?? {}) as Record<string, unknown>;
      next.consent = { ...consent, ...(consentVersion !== undefined ? { version: consentVersion } : {}), ...(consentText !== undefined ? { text: consentText } : {}) };
    }
    return next;
  };
}
