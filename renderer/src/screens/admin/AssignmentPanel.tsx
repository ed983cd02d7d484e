// Who belongs to this partition: add a contractor (a move from another partition signs them out
// everywhere) or take one out. Changes apply at the contractor's next sign-in.
import { useState } from 'react';
import { call, problemText } from '../../api';
import { useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';
import { useAdminData } from './useAdminData';

const listUsers = () => call('adminListUsers');

export function AssignmentPanel({ partition, members, onChanged }: { partition: string; members: string[]; onChanged: () => void }) {
  const users = useAdminData(listUsers);
  const announce = useVoiceVault((state) => state.announce);
  const [chosen, setChosen] = useState('');
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const candidates = (users.data ?? []).filter((u) => !u.isAdmin && u.partition !== partition);

  async function change(work: () => Promise<string>) {
    setProblem(undefined);
    try {
      const message = await work();
      setNotice(message);
      announce(message);
      setChosen('');
      onChanged();
      await users.reload();
    } catch (error) {
      setProblem(problemText(error));
    }
  }

  const assign = () =>
    change(async () => {
      const result = await call('adminAssignPartition', { username: chosen, partition });
      return `${result.username} now belongs to ${partition}${result.previous ? ` (was ${result.previous}; signed out everywhere)` : ''}. It applies at their next sign-in.`;
    });
  const unassign = (username: string) =>
    change(async () => {
      await call('adminUnassignPartition', { username });
      return `${username} no longer belongs to ${partition} and was signed out everywhere.`;
    });

  return (
    <section className="card" aria-labelledby="assignment-title">
      <h3 id="assignment-title">Members</h3>
      {members.length === 0 ? (
        <p>No contractor belongs to this partition yet.</p>
      ) : (
        <ul aria-label="Members">
          {members.map((username) => (
            <li key={username}>
              {username}{' '}
              <button type="button" className="link" onClick={() => void unassign(username)}>
                Remove {username} from {partition}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Problem text={users.problem ?? problem} />
      {notice && <p className="notice">{notice}</p>}
      <div className="actions">
        <label>
          Contractor to add
          <select value={chosen} onChange={(event) => setChosen(event.target.value)}>
            <option value="">Choose a contractor…</option>
            {candidates.map((u) => (
              <option key={u.username} value={u.username}>
                {u.username}
                {u.partition ? ` (now in ${u.partition})` : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!chosen} onClick={() => void assign()}>
          Assign to {partition}
        </button>
      </div>
    </section>
  );
}
