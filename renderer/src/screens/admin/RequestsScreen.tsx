// Pending "withdraw consent and erase my samples" requests, seen from their keys (admins cannot open
// them), each acted on with erase.
import { useState } from 'react';
import type { EraseReport } from '../../../../shared/domain';
import { call } from '../../api';
import { Problem } from '../../ui/Problem';
import { EraseConfirm, EraseResult } from './EraseConfirm';
import { formatDate, useAdminData } from './useAdminData';

const listRequests = () => call('adminListWithdrawalRequests');

export function RequestsScreen() {
  const requests = useAdminData(listRequests);
  const [erasing, setErasing] = useState<string>();
  const [report, setReport] = useState<EraseReport>();
  return (
    <section className="card" aria-labelledby="requests-title">
      <h3 id="requests-title">Withdrawal requests</h3>
      <Problem text={requests.problem} />
      {report && <EraseResult report={report} />}
      {requests.data && requests.data.length === 0 && <p>No pending requests.</p>}
      {requests.data && requests.data.length > 0 && (
        <table>
          <caption className="visually-hidden">Pending consent-withdrawal requests</caption>
          <thead>
            <tr>
              <th scope="col">Asked</th>
              <th scope="col">Contractor</th>
              <th scope="col">Partition</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {requests.data.map((r) => {
              const who = r.username ?? r.contractor;
              return (
                <tr key={r.key}>
                  <td>{formatDate(r.requestedAt)}</td>
                  <td>{who}</td>
                  <td>{r.partition}</td>
                  <td>
                    {erasing === who ? (
                      <EraseConfirm
                        contractor={who}
                        onCancel={() => setErasing(undefined)}
                        onErased={(erased) => {
                          setErasing(undefined);
                          setReport(erased);
                          void requests.reload();
                        }}
                      />
                    ) : (
                      <button type="button" className="tone-danger" onClick={() => setErasing(who)}>
                        Erase {who}…
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
