// A partition's configuration lives at config/partitions/<id>.json in the data bucket, whose
// versioning keeps its history. Contractors read only their own partition's file; admins read and
// write them all. Every write is conditional on what the writer read (If-None-Match: * to create,
// If-Match on the ETag read to change), so two admins saving at once cannot silently overwrite each
// other: the second is told (Conflict), and updatePartitionConfig re-reads and re-applies its change.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { partitionConfigKey, voiceVaultConfig } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { parsePartition, partitionIdPattern, partitionLimits, type Partition } from '../../shared/partition';
import { toVoiceVaultError } from '../aws/errors';

export interface StoredPartition {
  partition: Partition;
  /** The S3 version read, so an admin's save can be made conditional on it. */
  etag?: string;
  versionId?: string;
}

export interface SaveOptions {
  /** Who saved it (S3 object metadata, so the version history says who changed what). */
  by: string;
}

export async function readPartitionConfig(s3: S3Client, bucket: string, partitionId: string): Promise<StoredPartition> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: partitionConfigKey(partitionId) }));
    let json: unknown;
    try {
      json = JSON.parse((await object.Body?.transformToString()) ?? 'null');
    } catch {
      throw new VoiceVaultError('InvalidPartition', `The configuration of partition ${partitionId} is not valid JSON.`);
    }
    const parsed = parsePartition(json);
    if (!parsed.ok) throw new VoiceVaultError('InvalidPartition', `The configuration of partition ${partitionId} is invalid: ${parsed.problems.join('; ')}`);
    return { partition: parsed.partition, ...(object.ETag ? { etag: object.ETag } : {}), ...(object.VersionId ? { versionId: object.VersionId } : {}) };
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') {
      throw new VoiceVaultError('InvalidPartition', `Partition ${partitionId} has no configuration yet. Ask your admin.`, { cause: error });
    }
    throw toVoiceVaultError(error, `load partition ${partitionId}`);
  }
}

/** The ids of every partition with a configuration, sorted. */
export async function listPartitionIds(s3: S3Client, bucket: string): Promise<string[]> {
  const prefix = `${voiceVaultConfig.bucket.prefixes.partitionConfig}/`;
  const ids: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) {
        const id = object.Key?.slice(prefix.length).replace(/\.json$/, '');
        if (id && object.Key?.endsWith('.json') && partitionIdPattern.test(id)) ids.push(id);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    throw toVoiceVaultError(error, 'list the partitions');
  }
  return ids.sort();
}

/** Validates an admin's partition, or InvalidPartition listing every problem. */
export function validPartition(json: unknown): Partition {
  const parsed = parsePartition(json);
  if (!parsed.ok) {
    const id = typeof (json as { id?: unknown } | null)?.id === 'string' ? ` ${(json as { id: string }).id}` : '';
    throw new VoiceVaultError('InvalidPartition', `Partition${id} was not saved:\n  ${parsed.problems.join('\n  ')}`);
  }
  return parsed.partition;
}

/** Creates a partition that does not exist yet (If-None-Match: *). */
export async function createPartitionConfig(s3: S3Client, bucket: string, json: unknown, options: SaveOptions): Promise<StoredPartition> {
  const partition = validPartition(json);
  return put(s3, bucket, partition, options, { IfNoneMatch: '*' }, () =>
    new VoiceVaultError('AlreadyExists', `Partition ${partition.id} already exists. Change it with update instead.`),
  );
}

/** Replaces a partition, but only if it is still the version read (If-Match on its ETag). */
export async function savePartitionConfig(s3: S3Client, bucket: string, json: unknown, options: SaveOptions & { etag: string; previous?: Partition }): Promise<StoredPartition> {
  const partition = validPartition(json);
  if (options.previous) checkConsentChange(options.previous, partition);
  return put(s3, bucket, partition, options, { IfMatch: options.etag }, () =>
    new VoiceVaultError('Conflict', `Partition ${partition.id} was changed by someone else since you opened it, so your change was not saved. Reload it and make your change again.`),
  );
}

/**
 * Reads the partition, applies `change` and saves the result conditionally on what was read; when
 * another admin saved in between, reads again and re-applies the change (up to `attempts` times), so
 * both changes survive. An unchanged result writes no new version.
 */
export async function updatePartitionConfig(
  s3: S3Client,
  bucket: string,
  id: string,
  change: (current: Partition) => unknown,
  options: SaveOptions & { attempts?: number },
): Promise<StoredPartition & { changed: boolean; attempts: number }> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    const current = await readForAdmin(s3, bucket, id);
    const next = validPartition(change(structuredClone(current.partition)));
    if (next.id !== id) throw new VoiceVaultError('InvalidPartition', `A partition's id cannot change (${id} → ${next.id}); create a new partition instead.`);
    if (serialise(next) === serialise(current.partition)) return { ...current, changed: false, attempts: attempt };
    if (!current.etag) throw new VoiceVaultError('Internal', `S3 returned no ETag for partition ${id}, so it cannot be changed safely.`);
    try {
      return { ...(await savePartitionConfig(s3, bucket, next, { ...options, etag: current.etag, previous: current.partition })), changed: true, attempts: attempt };
    } catch (error) {
      if (!(error instanceof VoiceVaultError && error.code === 'Conflict') || attempt >= attempts) throw error;
    }
  }
}

/** As readPartitionConfig, with an admin's wording when the partition does not exist. */
export async function readForAdmin(s3: S3Client, bucket: string, id: string): Promise<StoredPartition> {
  if (!partitionIdPattern.test(id)) throw new VoiceVaultError('InvalidArgument', `"${id}" is not a partition id (lowercase letters, digits and dashes).`);
  try {
    return await readPartitionConfig(s3, bucket, id);
  } catch (error) {
    if (error instanceof VoiceVaultError && error.code === 'InvalidPartition' && /has no configuration/.test(error.message)) {
      throw new VoiceVaultError('NotFound', `There is no partition ${id}.`, { cause: error });
    }
    throw error;
  }
}

/** Contractors accept consent per version: new words under the old version would never be shown to them. */
function checkConsentChange(previous: Partition, next: Partition): void {
  if (previous.consent.text !== next.consent.text && previous.consent.version === next.consent.version) {
    throw new VoiceVaultError(
      'InvalidPartition',
      `Partition ${next.id} was not saved: the consent text changed but its version is still ${next.consent.version}. Give the new text a new version, so every contractor is asked again.`,
    );
  }
}

function serialise(partition: Partition): string {
  return `${JSON.stringify(partition, null, 2)}\n`;
}

async function put(s3: S3Client, bucket: string, partition: Partition, options: SaveOptions, condition: { IfNoneMatch: string } | { IfMatch: string }, refused: () => VoiceVaultError): Promise<StoredPartition> {
  const body = serialise(partition);
  if (Buffer.byteLength(body) > partitionLimits.maxConfigBytes) {
    throw new VoiceVaultError('InvalidPartition', `Partition ${partition.id} was not saved: its configuration would be ${Buffer.byteLength(body)} bytes, more than ${partitionLimits.maxConfigBytes}.`);
  }
  try {
    const response = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: partitionConfigKey(partition.id),
        Body: body,
        ContentType: 'application/json',
        Metadata: { 'updated-by': options.by },
        ...condition,
      }),
    );
    return { partition, ...(response.ETag ? { etag: response.ETag } : {}), ...(response.VersionId ? { versionId: response.VersionId } : {}) };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // 412: the condition failed; 409: S3's answer to a conditional write racing another on the same key.
    if (status === 412 || status === 409 || (error as { name?: string }).name === 'PreconditionFailed') throw refused();
    if ('IfMatch' in condition && (error as { name?: string }).name === 'NoSuchKey') throw new VoiceVaultError('NotFound', `There is no partition ${partition.id} to change.`, { cause: error });
    throw toVoiceVaultError(error, `save partition ${partition.id}`);
  }
}

/** Every partition's configuration; one that does not parse is reported, not fatal, so the others still count. */
export async function readAllPartitionConfigs(s3: S3Client, bucket: string): Promise<{ partitions: StoredPartition[]; invalid: { id: string; problem: string }[] }> {
  const partitions: StoredPartition[] = [];
  const invalid: { id: string; problem: string }[] = [];
  for (const id of await listPartitionIds(s3, bucket)) {
    try {
      partitions.push(await readPartitionConfig(s3, bucket, id));
    } catch (error) {
      if (!(error instanceof VoiceVaultError) || error.code !== 'InvalidPartition') throw error;
      invalid.push({ id, problem: error.message });
    }
  }
  return { partitions, invalid };
}
