// Erasing a contractor: every version of every object under their prefixes (raw, features, manifests
// and their consent-withdrawal requests, in every partition) is deleted, the deletion feed is told
// which samples went (so whoever trained on them can drop them), and the admin's audit log records
// it. The feed is written before the objects go: a failure in between leaves samples listed as erased
// that still exist (a re-run finishes the job), never samples gone without a record.
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { voiceVaultConfig } from '../../shared/config';
import type { EraseReport, ErasedObjectView } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { AuditLog } from '../audit';
import { toVoiceVaultError } from '../aws/errors';
import { contextFromObjectKey } from '../crypto';
import { newDeletionRecords, type DeletionRecord, type DeletionReason } from '../training';

export interface EraseOptions {
  s3: S3Client;
  bucket: string;
  /** The deletion feed (main/training appendDeletionRecord with the admin's client). */
  appendDeletion: (record: DeletionRecord) => Promise<{ key: string }>;
  audit: AuditLog;
  now: () => number;
  /** Who acts, for the audit log. */
  admin: string;
}

export interface ObjectVersionRef {
  key: string;
  versionId: string;
  size: number;
  deleteMarker: boolean;
}

const p = voiceVaultConfig.bucket.prefixes;
const contractorTops = [p.raw, p.features, p.manifests, p.requests];
const contractorIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** DeleteObjects takes at most 1000 keys per call. */
const deleteBatch = 1000;
/** Rounds of list-and-delete: an upload that lands mid-erase (a contractor not revoked first) is caught by the next. */
const maxRounds = 3;

async function versionPages(s3: S3Client, bucket: string, prefix: string, delimiter?: string) {
  const pages = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          ...(delimiter ? { Delimiter: delimiter } : {}),
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
        }),
      );
    } catch (error) {
      throw toVoiceVaultError(error, `list the versions under ${prefix}`);
    }
    pages.push(page);
    const truncated = page.IsTruncated === true;
    keyMarker = truncated ? page.NextKeyMarker : undefined;
    versionMarker = truncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return pages;
}

/** Every version and delete marker under the contractor's prefixes, in every partition that has any. */
export async function listContractorVersions(s3: S3Client, bucket: string, contractor: string): Promise<ObjectVersionRef[]> {
  if (!contractorIdPattern.test(contractor)) throw new VoiceVaultError('InvalidArgument', `"${contractor}" is not a contractor id.`);
  const found: ObjectVersionRef[] = [];
  for (const top of contractorTops) {
    // Partitions from the versioned listing, so a folder left with only old versions is found too.
    const partitions = new Set<string>();
    for (const page of await versionPages(s3, bucket, `${top}/`, '/')) {
      for (const common of page.CommonPrefixes ?? []) if (common.Prefix) partitions.add(common.Prefix.slice(top.length + 1, -1));
    }
    for (const partition of partitions) {
      for (const page of await versionPages(s3, bucket, `${top}/${partition}/${contractor}/`)) {
        for (const v of page.Versions ?? []) if (v.Key && v.VersionId) found.push({ key: v.Key, versionId: v.VersionId, size: v.Size ?? 0, deleteMarker: false });
        for (const m of page.DeleteMarkers ?? []) if (m.Key && m.VersionId) found.push({ key: m.Key, versionId: m.VersionId, size: 0, deleteMarker: true });
      }
    }
  }
  return found;
}

/** Sample ids by partition, from the keys of samples (requests are not samples). */
function samplesOf(versions: readonly ObjectVersionRef[]): Map<string, Set<string>> {
  const samples = new Map<string, Set<string>>();
  for (const { key } of versions) {
    let context;
    try {
      context = contextFromObjectKey(key);
    } catch {
      continue; // not an app-written sample key: deleted all the same, but names no sample
    }
    if (context.kind === 'request') continue;
    let set = samples.get(context.partition);
    if (!set) samples.set(context.partition, (set = new Set()));
    set.add(context.sample);
  }
  return samples;
}

async function deleteVersions(s3: S3Client, bucket: string, versions: readonly ObjectVersionRef[]): Promise<void> {
  for (let at = 0; at < versions.length; at += deleteBatch) {
    const batch = versions.slice(at, at + deleteBatch);
    let response;
    try {
      response = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((v) => ({ Key: v.key, VersionId: v.versionId })), Quiet: true } }));
    } catch (error) {
      throw toVoiceVaultError(error, 'delete the contractor’s objects');
    }
    const errors = response.Errors ?? [];
    if (errors.length > 0) {
      const shown = errors.slice(0, 3).map((e) => `${e.Key} (${e.Code ?? 'error'}: ${e.Message ?? ''})`);
      throw new VoiceVaultError('Internal', `${errors.length} object versions could not be deleted, e.g. ${shown.join('; ')}. Run the erase again.`);
    }
  }
}

export async function eraseContractor(options: EraseOptions, who: { contractor: string; username?: string }, reason: DeletionReason): Promise<EraseReport> {
  const { s3, bucket } = options;
  const removed: ObjectVersionRef[] = [];
  const fed = new Map<string, Set<string>>();
  const deletionRecords: string[] = [];
  for (let round = 1; ; round += 1) {
    const versions = await listContractorVersions(s3, bucket, who.contractor);
    if (versions.length === 0) break;
    if (round > maxRounds) throw new VoiceVaultError('Conflict', `Objects of ${who.username ?? who.contractor} keep appearing while they are erased. Revoke the contractor first, then erase again.`);
    for (const [partition, samples] of samplesOf(versions)) {
      const already = fed.get(partition) ?? new Set<string>();
      const fresh = [...samples].filter((s) => !already.has(s)).sort();
      if (fresh.length === 0) continue;
      for (const record of newDeletionRecords({ partition, samples: fresh, reason }, new Date(options.now()))) deletionRecords.push((await options.appendDeletion(record)).key);
      fed.set(partition, new Set([...already, ...fresh]));
    }
    await deleteVersions(s3, bucket, versions);
    removed.push(...versions);
  }

  const byKey = new Map<string, ErasedObjectView>();
  for (const v of removed) {
    const view = byKey.get(v.key) ?? { key: v.key, versions: 0, bytes: 0 };
    view.versions += 1;
    view.bytes += v.size;
    byKey.set(v.key, view);
  }
  const report: EraseReport = {
    contractor: who.contractor,
    ...(who.username ? { username: who.username } : {}),
    reason,
    partitions: [...fed].map(([partition, samples]) => ({ partition, samples: [...samples].sort() })).sort((a, b) => a.partition.localeCompare(b.partition)),
    objects: [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)),
    objectVersions: removed.length,
    bytes: removed.reduce((sum, v) => sum + v.size, 0),
    deletionRecords,
  };
  await options.audit.append({
    action: 'erased',
    detail: {
      admin: options.admin,
      contractor: report.contractor,
      ...(report.username ? { username: report.username } : {}),
      reason,
      partitions: report.partitions.map((p) => ({ partition: p.partition, samples: p.samples })),
      objectVersions: report.objectVersions,
      bytes: report.bytes,
      keys: report.objects.map((o) => o.key),
      deletionRecords,
    },
  });
  return report;
}
