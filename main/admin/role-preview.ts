// What the one contractor role lets a member of a partition do, in the words an admin would use.
// It follows the role's statements (infra/lib/roles.ts) and the partition's settings; the infra
// policy matrix proves the statements themselves.
import { partitionConfigKey, voiceVaultConfig } from '../../shared/config';
import type { RolePreview } from '../../shared/domain';
import { citedIntelligibility, citedStoi } from '../../shared/intelligibility';
import type { Partition } from '../../shared/partition';

const p = voiceVaultConfig.bucket.prefixes;

const tierWords: Record<Partition['featureTier'], string> = {
  'log-mel': `log-mel spectrograms (frame by frame; invertible to intelligible speech, STOI ${citedStoi(citedIntelligibility.stoi_logmel)} by Griffin-Lim)`,
  mfcc: `MFCCs (frame by frame; invertible to intelligible speech without pitch, STOI ${citedStoi(citedIntelligibility.stoi_mfcc)} by Griffin-Lim)`,
  summary: 'utterance-level summary statistics only',
};

export function contractorRolePreview(partition: Partition): RolePreview {
  const own = (top: string) => `${top}/${partition.id}/<their id>/`;
  const raw = partition.keepRaw
    ? `Upload raw audio, sealed, under ${own(p.raw)}: it moves to Glacier after ${partition.rawGlacierDays} days and is deleted after ${partition.rawExpireDays}.`
    : `Raw audio is not kept in this partition: the app uploads none (the role would allow new objects under ${own(p.raw)}, and the lifecycle rule still expires anything there after ${partition.rawExpireDays} days).`;
  return {
    allowed: [
      `Read this partition's configuration (${partitionConfigKey(partition.id)}): its prompts, audio requirements and consent text (version ${partition.consent.version}).`,
      raw,
      `Upload sealed features (${tierWords[partition.featureTier]}, preset ${partition.preset}) under ${own(p.features)} and a sealed manifest per sample under ${own(p.manifests)}.`,
      `Send a sealed "withdraw consent and erase my samples" request under ${own(p.requests)}.`,
      `Ask KMS for data keys sealed to their own context only: app ${voiceVaultConfig.encryptionContext.app}, partition ${partition.id}, their own id.`,
    ],
    denied: [
      'Overwrite or delete anything: every upload must be new (If-None-Match), a stolen credential cannot replace a sample.',
      "List the bucket or read any sample, feature or manifest, their own included, or another contractor's prefix.",
      'Decrypt anything: they may not use the envelope key to decrypt.',
      `Read another partition's configuration, or move themselves: only admins change custom:${voiceVaultConfig.userPool.partitionAttribute}.`,
    ],
  };
}
