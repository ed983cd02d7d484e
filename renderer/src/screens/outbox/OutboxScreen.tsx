// The outbox and history: each sample's state (sealed, waiting for the network, uploading n %,
// uploaded, failed and why), retry for failures, and a receipt per uploaded sample.
import { useState } from 'react';
import type { OutboxItemView } from '../../../../shared/domain';
import { call, problemText } from '../../api';
import { describeItem, useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';

const stateWords: Record<OutboxItemView['state'], string> = {
  sealed: 'Sealed, waiting to upload',
  'waiting-for-network': 'Waiting for the network',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  failed: 'Failed',
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function OutboxRow({ item }: { item: OutboxItemView }) {
  const partition = useVoiceVault((state) => state.partition);
  const trackOutboxItem = useVoiceVault((state) => state.trackOutboxItem);
  const announce = useVoiceVault((state) => state.announce);
  const [problem, setProblem] = useState<string>();
  const title = describeItem(partition, item);

  async function retry() {
    setProblem(undefined);
    try {
      trackOutboxItem(await call('retryUpload', { sample: item.sample }));
      announce(`Retrying the upload of ${title}.`);
    } catch (error) {
      setProblem(problemText(error));
    }
  }

  return (
    <li className={`outbox-item state-${item.state}`} aria-label={title}>
      <div className="outbox-head">
        <span className="outbox-title">{title}</span>
        <span className="outbox-state">
          {stateWords[item.state]}
          {item.state === 'uploading' ? ` ${Math.round(item.progress)} %` : ''}
        </span>
      </div>
      {item.state === 'uploading' && <progress max={100} value={item.progress} aria-label={`Upload progress of ${title}`} />}
      {item.problem && <p className="outbox-problem">{item.problem}</p>}
      {item.state === 'failed' && (
        <button type="button" onClick={() => void retry()}>
          Retry upload
        </button>
      )}
      <Problem text={problem} />
      {item.receipt && (
        <details className="receipt">
          <summary>Receipt</summary>
          <p>
            Sample <code>{item.receipt.sample}</code>, uploaded {new Date(item.receipt.uploadedAt).toLocaleString()}.
          </p>
          <table>
            <caption className="visually-hidden">Objects stored for this sample</caption>
            <thead>
              <tr>
                <th scope="col">Object key</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256 (base64)</th>
              </tr>
            </thead>
            <tbody>
              {item.receipt.objects.map((object) => (
                <tr key={object.key}>
                  <td>
                    <code>{object.key}</code>
                  </td>
                  <td>{formatBytes(object.bytes)}</td>
                  <td>
                    <code>{object.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </li>
  );
}

export function OutboxScreen() {
  const outbox = useVoiceVault((state) => state.outbox);
  const problem = useVoiceVault((state) => state.problem);
  const active = outbox.filter((item) => item.state !== 'uploaded');
  const history = outbox.filter((item) => item.state === 'uploaded');
  return (
    <section className="card outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Outbox</h2>
      <Problem text={problem} />
      {outbox.length === 0 && <p>Nothing yet. Recorded and imported samples appear here while they upload, with a receipt once they are stored.</p>}
      {active.length > 0 && (
        <>
          <h3>On the way</h3>
          <ul className="outbox-list" aria-label="samples on the way">
            {active.map((item) => (
              <OutboxRow key={item.sample} item={item} />
            ))}
          </ul>
        </>
      )}
      {history.length > 0 && (
        <>
          <h3>Uploaded</h3>
          <ul className="outbox-list" aria-label="uploaded samples">
            {history.map((item) => (
              <OutboxRow key={item.sample} item={item} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
