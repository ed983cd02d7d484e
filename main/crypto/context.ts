// The encryption context binds every sealed object to the place it is stored: kind, partition,
// contractor and sample are both in the object key and in the message's authenticated header, so a
// moved, swapped or renamed object no longer opens. This file is the one mapping between the two.
import { contractorPrefix, voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';

export type SealKind = 'raw' | 'features' | 'manifest' | 'request';

export const sealKinds: readonly SealKind[] = ['raw', 'features', 'manifest', 'request'];

export interface SealContext {
  app: 'voicevault';
  kind: SealKind;
  partition: string;
  /** The contractor's user-pool `sub`. */
  contractor: string;
  sample: string;
  /** Feature preset; present for (and only for) kind `features`. */
  preset?: string;
  /** The consent version the contractor accepted. */
  consent?: string;
  /** SHA-256 (hex) of the partition config the take was made under. */
  policy?: string;
}

/** The part of a SealContext that an object key spells out. */
export type KeyContext = Pick<SealContext, 'app' | 'kind' | 'partition' | 'contractor' | 'sample' | 'preset'>;

/** The fields of a SealContext that the key cannot carry, so a reader states them when it knows them. */
export type ExtraExpectedContext = Partial<Pick<SealContext, 'consent' | 'policy'>>;

/** Added by the Encryption SDK for the signing suite: the message's ECDSA public key. */
export const sdkPublicKeyContextKey = 'aws-crypto-public-key';

const contextKeys = ['app', 'kind', 'partition', 'contractor', 'sample', 'preset', 'consent', 'policy'] as const;
const keyContextKeys = ['app', 'kind', 'partition', 'contractor', 'sample', 'preset'] as const;

// Ids become path segments: no slashes, no dots (the preset separator), so no traversal either.
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const policyPattern = /^[0-9a-f]{64}$/;
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const consentPattern = /^[^\u0000-\u001f\u007f]{1,128}$/;

// contractorPrefix covers the sample kinds; consent-withdrawal requests sit beside them.
function kindFolder(kind: SealKind, partition: string, contractor: string): string {
  return kind === 'request' ? `${voiceVaultConfig.bucket.prefixes.requests}/${partition}/${contractor}/` : contractorPrefix(kind, partition, contractor);
}

const folderKinds: Record<string, SealKind> = Object.fromEntries(sealKinds.map((kind) => [kindFolder(kind, 'p', 'c').split('/')[0], kind]));

function invalid(what: string, value: unknown, rule: string): VoiceVaultError {
  return new VoiceVaultError('InvalidArgument', `The ${what} ${JSON.stringify(value)} is not valid: ${rule}.`);
}

function checkId(what: string, value: unknown): void {
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw invalid(what, value, 'use letters, digits, "_" and "-" only (at most 128, no dots or slashes)');
  }
}

/** Throws InvalidArgument unless the context is complete and well formed. */
export function checkSealContext(context: SealContext): void {
  if (context.app !== 'voicevault') throw invalid('app', context.app, 'it must be "voicevault"');
  if (!sealKinds.includes(context.kind)) throw invalid('kind', context.kind, `it must be one of ${sealKinds.join(', ')}`);
  checkId('partition', context.partition);
  checkId('contractor', context.contractor);
  checkId('sample', context.sample);
  if (context.kind === 'features') checkId('preset', context.preset);
  else if (context.preset !== undefined) throw invalid('preset', context.preset, `only features carry a preset, not ${context.kind}`);
  if (context.consent !== undefined && (typeof context.consent !== 'string' || !consentPattern.test(context.consent))) {
    throw invalid('consent version', context.consent, 'it must be 1 to 128 printable characters');
  }
  if (context.policy !== undefined && (typeof context.policy !== 'string' || !policyPattern.test(context.policy))) {
    throw invalid('policy hash', context.policy, 'it must be a SHA-256 in lowercase hex');
  }
  for (const key of Object.keys(context)) {
    if (!(contextKeys as readonly string[]).includes(key)) throw invalid('context field', key, `allowed are ${contextKeys.join(', ')}`);
  }
}

/** Where an object with this context is stored, e.g. `features/<p>/<c>/<s>.<preset>.sealed`. */
export function objectKeyFor(context: SealContext): string {
  checkSealContext(context);
  const name = context.kind === 'features' ? `${context.sample}.${context.preset}` : context.sample;
  return `${kindFolder(context.kind, context.partition, context.contractor)}${name}.sealed`;
}

/** Reads kind, partition, contractor, sample and preset back from an object key; refuses anything else. */
export function contextFromObjectKey(key: string): KeyContext {
  const refuse = () => new VoiceVaultError('InvalidArgument', `${JSON.stringify(key)} is not the key of a VoiceVault sealed object (expected e.g. features/<partition>/<contractor>/<sample>.<preset>.sealed).`);
  const parts = typeof key === 'string' ? key.split('/') : [];
  const [folder, partition, contractor, file] = parts;
  const kind = folder === undefined ? undefined : folderKinds[folder];
  if (parts.length !== 4 || !kind || !file?.endsWith('.sealed')) throw refuse();
  const names = file.slice(0, -'.sealed'.length).split('.');
  const [sample, preset] = names;
  if (names.length !== (kind === 'features' ? 2 : 1)) throw refuse();
  const context: KeyContext = { app: 'voicevault', kind, partition: partition ?? '', contractor: contractor ?? '', sample: sample ?? '' };
  if (kind === 'features') context.preset = preset;
  try {
    checkSealContext(context);
  } catch {
    throw refuse();
  }
  return context;
}

/** The Encryption SDK's encryption context for a SealContext: exactly its present fields. */
export function encryptionContextOf(context: SealContext): Record<string, string> {
  checkSealContext(context);
  const result: Record<string, string> = {};
  for (const key of contextKeys) {
    const value = context[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * Compares a message's encryption context with what its key (and the reader) expect. Every field the
 * key spells out must be equal, absent ones included (a preset on a manifest is a mismatch); fields in
 * `extra` must be equal; nothing outside the SealContext fields and the SDK's public key may appear.
 * Returns the problem in plain words, or undefined when it matches.
 */
export function contextMismatch(actual: Readonly<Record<string, string>>, expected: KeyContext, extra: ExtraExpectedContext = {}): string | undefined {
  for (const key of Object.keys(actual)) {
    if (key !== sdkPublicKeyContextKey && !(contextKeys as readonly string[]).includes(key)) return `it carries an unexpected context field "${key}"`;
  }
  const differs = (key: string, want: string | undefined) => {
    const got = actual[key];
    if (got === want) return undefined;
    if (got === undefined) return `it was sealed without a ${key}, but "${want}" was expected`;
    if (want === undefined) return `it was sealed with ${key} "${got}", which its key does not name`;
    return `it was sealed for ${key} "${got}", but "${want}" was expected`;
  };
  for (const key of keyContextKeys) {
    const problem = differs(key, expected[key]);
    if (problem) return problem;
  }
  for (const key of ['consent', 'policy'] as const) {
    if (extra[key] === undefined) continue;
    const problem = differs(key, extra[key]);
    if (problem) return problem;
  }
  return undefined;
}

/** The SealContext inside a message's encryption context (the SDK's public key left out). */
export function sealContextFrom(encryptionContext: Readonly<Record<string, string>>): SealContext {
  const context: Record<string, string> = {};
  for (const key of contextKeys) {
    const value = encryptionContext[key];
    if (value !== undefined) context[key] = value;
  }
  const parsed = context as unknown as SealContext;
  checkSealContext(parsed);
  return parsed;
}
