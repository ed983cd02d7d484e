// `voicevault admin contractor revoke|erase`
import Table from 'cli-table3';
import { deletionReasons, type DeletionReason } from '../../training';
import { exactlyPositionals, signInUsage, text, UsageError, type AdminVerb } from './verb';

export const contractorRevoke: AdminVerb = {
  name: 'contractor revoke',
  summary: 'disable a contractor and sign them out everywhere',
  usage: `usage: voicevault admin contractor revoke <username>
  Disables the account (no new sign-in) and revokes every refresh token (AdminUserGlobalSignOut), so the
  contractor's next credential refresh fails too. Credentials already issued expire within the hour.
${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    const [username] = exactlyPositionals({ positionals }, ['username']);
    const report = await (await admin()).revoke(username!);
    io.stdout(values.json ? JSON.stringify(report) : `${username} is disabled and signed out everywhere.`);
    return 0;
  },
};

const reasons = deletionReasons.filter((r) => r === 'contractor-erased' || r === 'consent-withdrawn');

export const contractorErase: AdminVerb = {
  name: 'contractor erase',
  summary: "delete every version of a contractor's objects; the deletion feed and the audit log record it",
  usage: `usage: voicevault admin contractor erase <username | contractor-id> --confirm <the same> [--reason ${reasons.join('|')}]
  Deletes every version of every object under the contractor's raw/, features/, manifests/ and requests/
  prefixes in every partition, appends the erased sample ids to the deletion feed (deletions/) and records
  the erasure in your audit log. The reason defaults to consent-withdrawn when they asked, else contractor-erased.
${signInUsage}`,
  options: { confirm: { type: 'string' }, reason: { type: 'string' } },
  async run({ io, values, positionals, admin }) {
    const [who] = exactlyPositionals({ positionals }, ['username | contractor-id']);
    if (text(values, 'confirm') !== who) throw new UsageError(`erasing cannot be undone: repeat the contractor with --confirm ${who}`);
    const reason = text(values, 'reason');
    if (reason !== undefined && !(reasons as string[]).includes(reason)) throw new UsageError(`--reason is one of ${reasons.join(', ')} (got ${JSON.stringify(reason)})`);
    const report = await (await admin()).erase(who!, reason as DeletionReason | undefined);
    if (values.json) {
      io.stdout(JSON.stringify(report));
      return 0;
    }
    const t = new Table({ head: ['removed object', 'versions', 'bytes'], style: { head: [], border: [] } });
    for (const o of report.objects) t.push([o.key, String(o.versions), String(o.bytes)]);
    const samples = report.partitions.reduce((n, p) => n + p.samples.length, 0);
    io.stdout(
      [
        `Erased ${report.username ?? report.contractor} (${report.contractor}), reason ${report.reason}: ${report.objectVersions} object versions, ${report.bytes} bytes, ${samples} samples.`,
        ...report.partitions.map((p) => `  ${p.partition}: ${p.samples.join(', ')}`),
        report.objects.length > 0 ? t.toString() : 'Nothing was stored for this contractor.',
        report.deletionRecords.length > 0 ? `Deletion feed: ${report.deletionRecords.join(', ')}` : 'Deletion feed: no samples to list.',
      ].join('\n'),
    );
    return 0;
  },
};
