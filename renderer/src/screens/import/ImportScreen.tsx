// Import finished recordings: pick files or drop them here; each file is sent as bytes (never a
// path) and gets its own result: accepted, or rejected and why.
import { useState, type DragEvent } from 'react';
import type { ImportResult } from '../../../../shared/domain';
import { call, problemText } from '../../api';
import { useVoiceVault } from '../../store';

const maxBytes = 256 * 1024 * 1024;
const accepted = '.wav,.flac,.mp3,.ogg,.oga,.opus,.webm,audio/*';

export function ImportScreen() {
  const announce = useVoiceVault((state) => state.announce);
  const refreshOutbox = useVoiceVault((state) => state.refreshOutbox);
  const [results, setResults] = useState<ImportResult[]>([]);
  const [working, setWorking] = useState<string | undefined>();
  const [over, setOver] = useState(false);

  async function importFiles(files: File[]) {
    if (files.length === 0) return;
    const batch: ImportResult[] = [];
    setResults([]);
    for (const file of files) {
      setWorking(`Importing ${file.name}…`);
      let result: ImportResult;
      if (file.size === 0) result = { name: file.name, accepted: false, reasons: ['The file is empty.'] };
      else if (file.size > maxBytes) result = { name: file.name, accepted: false, reasons: ['The file is larger than 256 MiB. Split it into shorter recordings.'] };
      else {
        try {
          result = await call('importAudio', { name: file.name.slice(0, 255), bytes: await file.arrayBuffer() });
        } catch (error) {
          result = { name: file.name, accepted: false, reasons: [problemText(error)] };
        }
      }
      batch.push(result);
      setResults([...batch]);
    }
    setWorking(undefined);
    const good = batch.filter((r) => r.accepted).length;
    announce(`Import finished: ${good} of ${batch.length} ${batch.length === 1 ? 'file' : 'files'} accepted.`);
    await refreshOutbox();
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    void importFiles([...event.dataTransfer.files]);
  }

  return (
    <section className="card import" aria-labelledby="import-title">
      <h2 id="import-title">Import recordings</h2>
      <p>WAV, FLAC, MP3, Ogg Vorbis and Opus files. Each one is checked against the partition&apos;s requirements, sealed and queued for upload.</p>
      <div
        className={`drop-zone ${over ? 'over' : ''}`}
        role="group"
        aria-label="Drop audio files here"
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drop audio files here, or choose them:</p>
        <label className="file-picker">
          <span className="visually-hidden">Choose files…</span>
          <input
            type="file"
            multiple
            accept={accepted}
            disabled={working !== undefined}
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void importFiles(files);
            }}
          />
        </label>
      </div>
      {working && (
        <p className="notice" role="status">
          {working}
        </p>
      )}
      {results.length > 0 && (
        <ul className="import-results" aria-label="import results">
          {results.map((result, i) => (
            <li key={`${result.name}-${i}`} className={result.accepted ? 'pass' : 'fail'}>
              <strong>{result.name}</strong>: {result.accepted ? 'accepted, sealed and queued for upload.' : 'rejected.'}
              {result.reasons.length > 0 && (
                <ul>
                  {result.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
