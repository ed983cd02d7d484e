// Partitions: each with its status from keys and sizes (never decrypted), a new one, or one opened in
// the editor with its members and what its contractors may do.
import { useCallback, useState } from 'react';
import { call } from '../../api';
import { Problem } from '../../ui/Problem';
import { PartitionDetailPanel } from './PartitionDetailPanel';
import { PartitionEditor } from './PartitionEditor';
import { formatBytes, formatDate, useAdminData } from './useAdminData';

type Open = { kind: 'list' } | { kind: 'new' } | { kind: 'partition'; id: string; notice?: string };

const listPartitions = () => call('adminListPartitions');

export function PartitionsScreen() {
  const [open, setOpen] = useState<Open>({ kind: 'list' });
  const list = useAdminData(listPartitions);
  const { reload } = list;
  const back = useCallback(() => {
    setOpen({ kind: 'list' });
    void reload();
  }, [reload]);

  if (open.kind === 'new') {
    return (
      <section className="card" aria-labelledby="new-partition-title">
        <h3 id="new-partition-title">New partition</h3>
        <PartitionEditor onSaved={(saved, words) => setOpen({ kind: 'partition', id: saved.partition.id, notice: words })} onCancel={back} />
      </section>
    );
  }
  if (open.kind === 'partition') return <PartitionDetailPanel id={open.id} onBack={back} {...(open.notice ? { savedNotice: open.notice } : {})} />;

  return (
    <section className="card" aria-labelledby="partitions-title">
      <h3 id="partitions-title">Partitions</h3>
      <Problem text={list.problem} />
      {list.loading && !list.data && <p>Loading the partitions…</p>}
      {list.data && (
        <table>
          <caption className="visually-hidden">Partitions and their status</caption>
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col">Tier</th>
              <th scope="col">Raw audio</th>
              <th scope="col">Contractors</th>
              <th scope="col">Samples</th>
              <th scope="col">Stored</th>
              <th scope="col">Last upload</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((p) => (
              <tr key={p.id}>
                <td>
                  <button type="button" className="link" onClick={() => setOpen({ kind: 'partition', id: p.id })}>
                    {p.name}
                  </button>{' '}
                  <code>{p.id}</code>
                </td>
                <td>{p.featureTier}</td>
                <td>{p.keepRaw ? 'kept' : 'not kept'}</td>
                <td className="number">{p.status.contractors}</td>
                <td className="number">{p.status.samples}</td>
                <td className="number">{formatBytes(p.status.bytes)}</td>
                <td>{formatDate(p.status.lastUpload)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small">Status comes from the names, sizes and dates of the stored files; nothing is decrypted.</p>
      <div className="actions">
        <button type="button" className="tone-primary" onClick={() => setOpen({ kind: 'new' })}>
          New partition
        </button>
        <button type="button" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
    </section>
  );
}
