// The bucket's lifecycle rules as applied, in plain words, attributed to the global rules, a partition,
// or someone else.
import type { LifecycleRule } from '@aws-sdk/client-s3';
import type { LifecycleRuleView } from '../../shared/domain';
import { globalLifecycleRules, partitionRuleIdPrefix } from '../partitions/lifecycle';

const globalIds = new Set(globalLifecycleRules().map((r) => r.ID));

export function lifecycleRuleView(rule: LifecycleRule): LifecycleRuleView {
  const id = rule.ID ?? '';
  const prefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
  const glacier = rule.Transitions?.find((t) => t.StorageClass === 'GLACIER')?.Days;
  const expire = rule.Expiration?.Days;
  const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays;
  const abort = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
  const owner: LifecycleRuleView['owner'] = globalIds.has(id) ? 'global' : id.startsWith(partitionRuleIdPrefix) ? 'partition' : 'other';
  const parts: string[] = [];
  if (glacier !== undefined) parts.push(`to Glacier after ${glacier} days`);
  if (expire !== undefined) parts.push(`deleted after ${expire} days`);
  if (noncurrent !== undefined) parts.push(`replaced and deleted versions removed after ${noncurrent} days`);
  if (rule.Expiration?.ExpiredObjectDeleteMarker) parts.push('leftover delete markers removed');
  if (abort !== undefined) parts.push(`unfinished multipart uploads abandoned after ${abort} day${abort === 1 ? '' : 's'}`);
  const where = prefix ? `Objects under ${prefix}` : 'Every object';
  return {
    id,
    owner,
    ...(owner === 'partition' ? { partition: id.slice(partitionRuleIdPrefix.length) } : {}),
    prefix,
    enabled: rule.Status === 'Enabled',
    ...(glacier !== undefined ? { glacierDays: glacier } : {}),
    ...(expire !== undefined ? { expireDays: expire } : {}),
    ...(noncurrent !== undefined ? { noncurrentExpireDays: noncurrent } : {}),
    ...(abort !== undefined ? { abortMultipartDays: abort } : {}),
    summary: `${where}: ${parts.join('; ') || 'no action'}${rule.Status === 'Enabled' ? '' : ' (disabled)'}.`,
  };
}
