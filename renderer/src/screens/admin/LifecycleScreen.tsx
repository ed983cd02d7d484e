// The bucket lifecycle as applied: the global rules, one rule per partition, and anyone else's rules
// (kept as they are). Applying writes every partition's rule and reads it back.
import { useState } from 'react';
import { call, problemText } from '../../api';
import { useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';
import { useAdminData } from './useAdminData';

const readLifecycle = () => call('adminGetLifecycle');
const owners = { global: 'Whole bucket', partition: 'Partition', other: 'Not VoiceVault’s' } as const;

export function LifecycleScreen() {
  const rules = useAdminData(readLifecycle);
  const announce = useVoiceVault((state) => state.announce);
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function apply() {
    setBusy(true);
    setProblem(undefined);
    try {
      const applied = await call('adminApplyLifecycle');
      const words = applied.writes === 0 ? 'Every rule was already in place.' : 'The lifecycle was written and read back: every partition’s rule is in place.';
      setNotice(words);
      announce(words);
      await rules.reload();
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="lifecycle-title">
      <h3 id="lifecycle-title">Bucket lifecycle as applied</h3>
      <Problem text={rules.problem ?? problem} />
      {notice && <p className="notice">{notice}</p>}
      {rules.data && (
        <table>
          <caption className="visually-hidden">Lifecycle rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">For</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody>
            {rules.data.map((rule) => (
              <tr key={rule.id}>
                <td>
                  <code>{rule.id}</code>
                </td>
                <td>{rule.owner === 'partition' ? `Partition ${rule.partition}` : owners[rule.owner]}</td>
                <td>{rule.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" className="tone-primary" disabled={busy} onClick={() => void apply()}>
          {busy ? 'Applying…' : 'Apply every partition’s rule'}
        </button>
      </div>
    </section>
  );
}
