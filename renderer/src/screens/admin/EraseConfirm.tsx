// Erasing cannot be undone: the admin types the contractor's name again before main erases every
// version of their objects; the result says what was removed.
import { useState, type FormEvent } from 'react';
import type { EraseReport } from '../../../../shared/domain';
import { call, problemText } from '../../api';
import { useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';

export function EraseConfirm({ contractor, onErased, onCancel }: { contractor: string; onErased: (report: EraseReport) => void; onCancel: () => void }) {
  const announce = useVoiceVault((state) => state.announce);
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function erase(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const report = await call('adminEraseContractor', { contractor, confirm: typed });
      announce(`${contractor} was erased: ${report.objectVersions} stored object versions removed.`);
      onErased(report);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="confirm" aria-label={`Erase ${contractor}`} onSubmit={(event) => void erase(event)}>
      <p>
        This deletes every version of everything stored for <strong>{contractor}</strong> in every partition, lists the erased samples in the deletion feed and records it in your
        audit log. It cannot be undone.
      </p>
      <label>
        Type {contractor} to confirm
        <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
      </label>
      <Problem text={problem} />
      <div className="actions">
        <button type="submit" className="tone-danger" disabled={busy || typed.length === 0}>
          {busy ? 'Erasing…' : `Erase ${contractor}`}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function EraseResult({ report }: { report: EraseReport }) {
  const samples = report.partitions.reduce((n, p) => n + p.samples.length, 0);
  return (
    <div className="notice" role="status">
      <p>
        Erased {report.username ?? report.contractor}: {report.objectVersions} object versions ({samples} samples) removed; reason {report.reason}.
      </p>
      <details>
        <summary>What was removed</summary>
        <ul>
          {report.objects.map((o) => (
            <li key={o.key}>
              <code>{o.key}</code> ({o.versions} version{o.versions === 1 ? '' : 's'})
            </li>
          ))}
        </ul>
        <p>Deletion feed: {report.deletionRecords.length > 0 ? report.deletionRecords.join(', ') : 'no samples to list'}</p>
      </details>
    </div>
  );
}
