// The access review: every user with partition, status and last activity; accounts idle for the chosen
// number of days flagged; revoke from here; the same table as a CSV file.
import { useCallback, useState } from 'react';
import { call, problemText } from '../../api';
import { useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';
import { formatDate, useAdminData } from './useAdminData';

export function AccessReviewScreen() {
  const announce = useVoiceVault((state) => state.announce);
  const [idleDays, setIdleDays] = useState('30');
  const [applied, setApplied] = useState(30);
  const load = useCallback(() => call('adminAccessReview', { idleDays: applied }), [applied]);
  const review = useAdminData(load);
  const [problem, setProblem] = useState<string>();

  /** Hands the CSV main made to the browser (or Electron) as a download. */
  function exportCsv(csv: string) {
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'voicevault-access-review.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function applyIdleDays() {
    const days = Number(idleDays);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      setProblem(`The idle threshold is a whole number of days from 1 to 3650 (got "${idleDays}").`);
      return;
    }
    setProblem(undefined);
    setApplied(days);
  }

  async function revoke(username: string) {
    setProblem(undefined);
    try {
      await call('adminRevokeContractor', { username });
      announce(`${username} is disabled and signed out everywhere.`);
      await review.reload();
    } catch (error) {
      setProblem(problemText(error));
    }
  }

  const csv = review.data?.csv;
  const idleCount = review.data?.rows.filter((r) => r.idle).length ?? 0;
  return (
    <section className="card" aria-labelledby="access-review-title">
      <h3 id="access-review-title">Access review</h3>
      <p className="small">Last activity is the user’s newest stored file, or when the account was created if they never uploaded.</p>
      <div className="actions">
        <label>
          Flag as idle after (days)
          <input inputMode="numeric" value={idleDays} onChange={(e) => setIdleDays(e.target.value)} />
        </label>
        <button type="button" onClick={applyIdleDays}>
          Apply
        </button>
        {csv !== undefined && (
          <button type="button" onClick={() => exportCsv(csv)}>
            Export as CSV
          </button>
        )}
      </div>
      <Problem text={review.problem ?? problem} />
      {review.data && (
        <>
          <p>
            {review.data.rows.length} users; {idleCount} idle for {review.data.idleAfterDays} days or more.
          </p>
          <table>
            <caption className="visually-hidden">Every user and their access</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Partition</th>
                <th scope="col">Status</th>
                <th scope="col">Last activity</th>
                <th scope="col">Idle</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {review.data.rows.map((r) => (
                <tr key={r.username}>
                  <td>{r.username}</td>
                  <td>{r.role}</td>
                  <td>{r.partition || '—'}</td>
                  <td>{r.status}</td>
                  <td>
                    {formatDate(r.lastActivity)} ({r.lastActivitySource === 'upload' ? 'upload' : 'account created'})
                  </td>
                  <td className={r.idle ? 'flag-idle' : undefined}>{r.idle ? `Idle ${r.idleDays} days` : `${r.idleDays} days`}</td>
                  <td>
                    {r.role === 'contractor' && r.status !== 'disabled' && (
                      <button type="button" className="tone-danger" onClick={() => void revoke(r.username)}>
                        Revoke {r.username}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
