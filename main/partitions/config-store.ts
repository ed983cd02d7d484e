// Reads a partition's configuration (config/partitions/<id>.json) with whatever credentials the caller
// has: a contractor may read only their own partition's file; admins read and write them all.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { partitionConfigKey } from '../../shared/config';
import { VoiceVaultError } from '../../shared/errors';
import { parsePartition, type Partition } from '../../shared/partition';
import { toVoiceVaultError } from '../aws/errors';

export interface StoredPartition {
  partition: Partition;
  /** The S3 version read, so an admin's save can be made conditional on it. */
  etag?: string;
  versionId?: string;
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
