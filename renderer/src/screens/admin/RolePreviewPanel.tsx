// What the one contractor role lets a member of this partition do, in plain words.
import type { RolePreview } from '../../../../shared/domain';

export function RolePreviewPanel({ preview, partition }: { preview: RolePreview; partition: string }) {
  return (
    <section className="card" aria-labelledby="role-preview-title">
      <h3 id="role-preview-title">What a contractor in {partition} may do</h3>
      <ul className="allowed" aria-label="May do">
        {preview.allowed.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <h4>And may not</h4>
      <ul className="denied" aria-label="May not do">
        {preview.denied.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
