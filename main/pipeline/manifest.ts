// The sealed manifest of a sample: everything the training side needs to trust the features without
// the audio — the quality report, what the take was made under (partition policy, preset, prompt,
// consent) and the ciphertext hash of every other object of the sample.
import { createHash } from 'node:crypto';
import type { QualityReportView, QualityVerdict } from '../../shared/domain';
import type { FeatureTier, Partition } from '../../shared/partition';
import { canonicalJson, type JsonValue } from '../audit';

export const manifestFormat = 'voicevault-manifest/1';

export interface ManifestObject {
  kind: 'raw' | 'features';
  key: string;
  bytes: number;
  /** Base64 SHA-256 of the ciphertext, as S3 will report it. */
  sha256: string;
}

export interface SampleManifest {
  format: typeof manifestFormat;
  sample: string;
  partition: string;
  contractor: string;
  recordedAt: string;
  source: { kind: 'recording' | 'import'; format: string; sampleRate: number; channels: number; durationSeconds: number };
  quality: QualityReportView;
  verdict: QualityVerdict;
  preset: string;
  tier: FeatureTier;
  featureVersion: string;
  promptId?: string;
  consentVersion: string;
  /** SHA-256 hex of the partition configuration the take was made under. */
  policy: string;
  appVersion: string;
  objects: ManifestObject[];
}

export function partitionPolicyHash(partition: Partition): string {
  return createHash('sha256').update(canonicalJson(partition as unknown as JsonValue)).digest('hex');
}

export function encodeManifest(manifest: SampleManifest): Uint8Array {
  return new TextEncoder().encode(`${canonicalJson(manifest as unknown as JsonValue)}\n`);
}
