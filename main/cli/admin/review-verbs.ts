// `voicevault admin access-review [--csv]`, `voicevault admin alarms`, `voicevault admin requests`
import { writeFile } from 'node:fs/promises';
import Table from 'cli-table3';
import { VoiceVaultError } from '../../../shared/errors';
import { defaultIdleDays } from '../../admin';
import { exactlyPositionals, signInUsage, text, wholeNumber, type AdminVerb } from './verb';

export const accessReviewVerb: AdminVerb = {
  name: 'access-review',
  summary: 'every user: partition, status, last activity; idle accounts flagged (--csv for a spreadsheet)',
  usage: `usage: voicevault admin access-review [--csv] [--out <file.csv>] [--idle-days <N>]
  Last activity is the user's newest object in the bucket (else when the account was created); accounts
  idle for ${defaultIdleDays} days or more (--idle-days) are flagged.
${signInUsage}`,
  options: { csv: { type: 'boolean' }, out: { type: 'string' }, 'idle-days': { type: 'string' } },
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const idle = wholeNumber(values, 'idle-days');
    if (typeof idle === 'string') throw new VoiceVaultError('InvalidArgument', `--idle-days takes a whole number of days (got ${JSON.stringify(idle)}).`);
    const review = await (await admin()).accessReview(idle ?? defaultIdleDays);
    const out = text(values, 'out');
    if (out) {
      await writeFile(out, review.csv, { mode: 0o600 });
      io.stdout(`Access review of ${review.rows.length} users written to ${out} (${review.rows.filter((r) => r.idle).length} idle).`);
    } else if (values.csv) io.stdout(review.csv);
    else if (values.json) io.stdout(JSON.stringify(review));
    else {
      const t = new Table({ head: ['user', 'role', 'partition', 'status', 'last activity', 'idle'], style: { head: [], border: [] } });
      for (const r of review.rows) t.push([r.username, r.role, r.partition || '—', r.status, `${r.lastActivity.slice(0, 10)} (${r.lastActivitySource === 'upload' ? 'upload' : 'account created'})`, r.idle ? `IDLE ${r.idleDays} days` : `${r.idleDays} days`]);
      io.stdout(t.toString());
    }
    return 0;
  },
};

export const alarmsVerb: AdminVerb = {
  name: 'alarms',
  summary: "the state of VoiceVault's CloudWatch alarms",
  usage: `usage: voicevault admin alarms\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const alarms = await (await admin()).alarms();
    if (values.json) io.stdout(JSON.stringify({ alarms }));
    else if (alarms.length === 0) io.stdout('No VoiceVault alarms exist in this deployment.');
    else {
      const t = new Table({ head: ['alarm', 'state', 'since', 'reason'], style: { head: [], border: [] } });
      for (const a of alarms) t.push([a.name, a.state, a.updatedAt ?? '', a.reason]);
      io.stdout(t.toString());
    }
    return 0;
  },
};

export const requestsVerb: AdminVerb = {
  name: 'requests',
  summary: 'pending "withdraw consent and erase my samples" requests (act on them with contractor erase)',
  usage: `usage: voicevault admin requests\n${signInUsage}`,
  options: {},
  async run({ io, values, positionals, admin }) {
    exactlyPositionals({ positionals }, []);
    const requests = await (await admin()).withdrawalRequests();
    if (values.json) io.stdout(JSON.stringify({ requests }));
    else if (requests.length === 0) io.stdout('No pending withdrawal requests.');
    else {
      const t = new Table({ head: ['requested', 'contractor', 'partition', 'request'], style: { head: [], border: [] } });
      for (const r of requests) t.push([r.requestedAt, r.username ?? r.contractor, r.partition, r.requestId]);
      io.stdout(`${t.toString()}\nErase with: voicevault admin contractor erase <contractor> --confirm <contractor>`);
    }
    return 0;
  },
};
