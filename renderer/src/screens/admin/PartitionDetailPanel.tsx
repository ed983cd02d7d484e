// One partition: the editor (saving over the version opened), its members, the lifecycle rule as
// applied, and what the contractor role lets its members do.
import { useCallback, useState } from 'react';
import { call } from '../../api';
import { Problem } from '../../ui/Problem';
import { AssignmentPanel } from './AssignmentPanel';
import { PartitionEditor } from './PartitionEditor';
import { RolePreviewPanel } from './RolePreviewPanel';
import { useAdminData } from './useAdminData';

export function PartitionDetailPanel({ id, onBack, savedNotice }: { id: string; onBack: () => void; savedNotice?: string }) {
  const load = useCallback(() => call('adminGetPartition', { id }), [id]);
  const detail = useAdminData(load);
  const { data, reload } = detail;
  const [notice, setNotice] = useState(savedNotice);
  return (
    <>
      <section className="card" aria-labelledby="partition-title">
        <h3 id="partition-title">Partition {data ? `${data.partition.name} (${id})` : id}</h3>
        <Problem text={detail.problem} />
        {notice && <p className="notice">{notice}</p>}
        {data && (
          <PartitionEditor
            key={data.etag}
            detail={data}
            onSaved={(_saved, words) => {
              setNotice(words);
              void reload();
            }}
            onCancel={onBack}
            onReload={() => {
              setNotice(undefined);
              void reload();
            }}
          />
        )}
      </section>
      {data && (
        <>
          <AssignmentPanel partition={id} members={data.members} onChanged={() => void reload()} />
          <section className="card" aria-labelledby="partition-lifecycle-title">
            <h3 id="partition-lifecycle-title">Retention as applied</h3>
            <p>{data.lifecycleRule ? data.lifecycleRule.summary : 'The bucket has no rule for this partition yet. Apply the lifecycle on the Lifecycle page.'}</p>
          </section>
          <RolePreviewPanel preview={data.rolePreview} partition={id} />
        </>
      )}
    </>
  );
}
