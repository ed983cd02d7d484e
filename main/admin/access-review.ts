// The access review: every user with their partition, whether they can still sign in, and when they
// were last active (their newest object, else when the account was created); idle accounts flagged.
// Exported as CSV with csv-stringify.
import { stringify } from 'csv-stringify/sync';
import type { AccessReview, AccessReviewRow, DirectoryUser } from '../../shared/domain';

export const defaultIdleDays = 30;
const dayMs = 86_400_000;

export const accessReviewColumns = ['username', 'role', 'partition', 'status', 'last_activity', 'last_activity_source', 'idle_days', 'idle'] as const;

export function accessReview(users: readonly DirectoryUser[], lastActivity: ReadonlyMap<string, Date>, now: Date, idleAfterDays = defaultIdleDays): AccessReview {
  const rows: AccessReviewRow[] = users.map((user) => {
    const uploaded = lastActivity.get(user.sub);
    const last = uploaded ?? new Date(user.createdAt);
    const idleDays = Math.max(0, Math.floor((now.getTime() - last.getTime()) / dayMs));
    return {
      username: user.username,
      role: user.isAdmin ? 'admin' : 'contractor',
      partition: user.partition ?? '',
      status: !user.enabled ? 'disabled' : user.status === 'CONFIRMED' ? 'active' : user.status.toLowerCase(),
      lastActivity: last.toISOString(),
      lastActivitySource: uploaded ? 'upload' : 'account-created',
      idleDays,
      idle: idleDays >= idleAfterDays,
    };
  });
  rows.sort((a, b) => (a.role === b.role ? a.username.localeCompare(b.username) : a.role === 'contractor' ? -1 : 1));
  return { generatedAt: now.toISOString(), idleAfterDays, rows, csv: accessReviewCsv(rows) };
}

export function accessReviewCsv(rows: readonly AccessReviewRow[]): string {
  return stringify(
    rows.map((r) => [spreadsheetSafe(r.username), r.role, r.partition, r.status, r.lastActivity, r.lastActivitySource, r.idleDays, r.idle ? 'yes' : 'no']),
    { header: true, columns: [...accessReviewColumns] },
  );
}

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written as text instead (OWASP CSV injection). */
function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
