// The partition editor. Numbers stay as typed until main checks them, so its messages name exactly what
// is wrong; prompts are a TSV (`<id><TAB><text>` per line, typed or imported from a file) that main
// parses. Saving an opened partition is conditional on the version opened: if another admin saved in
// between, main refuses and the editor offers to reload.
import { useState, type FormEvent } from 'react';
import type { AdminPartitionDetail, SavedPartitionView } from '../../../../shared/domain';
import { defaultRequirements, featurePresets, featureTiers, type AudioRequirements } from '../../../../shared/partition';
import { call, CallFailed, problemText } from '../../api';
import { useVoiceVault } from '../../store';

const requirementFields: { key: keyof AudioRequirements; label: string }[] = [
  { key: 'sampleRate', label: 'Sample rate at least (Hz)' },
  { key: 'minSeconds', label: 'Shortest take (s)' },
  { key: 'maxSeconds', label: 'Longest take (s)' },
  { key: 'maxClippedPct', label: 'Clipping at most (%)' },
  { key: 'minSnrDb', label: 'Signal-to-noise at least (dB)' },
  { key: 'maxSilencePct', label: 'Silence at most (%)' },
  { key: 'minSpeechDbfs', label: 'Speech level at least (dBFS)' },
];

interface Draft {
  id: string;
  name: string;
  keepRaw: boolean;
  rawGlacierDays: string;
  rawExpireDays: string;
  featureTier: string;
  preset: string;
  listenBeforeSubmit: boolean;
  requirements: Record<keyof AudioRequirements, string>;
  promptsTsv: string;
  consentVersion: string;
  consentText: string;
}

function draftOf(detail: AdminPartitionDetail | undefined): Draft {
  const p = detail?.partition;
  const requirements = p?.requirements ?? defaultRequirements;
  return {
    id: p?.id ?? '',
    name: p?.name ?? '',
    keepRaw: p?.keepRaw ?? false,
    rawGlacierDays: String(p?.rawGlacierDays ?? 30),
    rawExpireDays: String(p?.rawExpireDays ?? 365),
    featureTier: p?.featureTier ?? 'log-mel',
    preset: p?.preset ?? 'speech16k',
    listenBeforeSubmit: p?.listenBeforeSubmit ?? false,
    requirements: Object.fromEntries(requirementFields.map(({ key }) => [key, String(requirements[key])])) as Draft['requirements'],
    promptsTsv: (p?.prompts ?? []).map((prompt) => `${prompt.id}\t${prompt.text}`).join('\n'),
    consentVersion: p?.consent.version ?? '',
    consentText: p?.consent.text ?? '',
  };
}

/** A number as typed, or the text itself so main's message can quote it. */
function typed(value: string): number | string {
  const trimmed = value.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export function PartitionEditor({ detail, onSaved, onCancel, onReload }: { detail?: AdminPartitionDetail; onSaved: (saved: SavedPartitionView, words: string) => void; onCancel: () => void; onReload?: () => void }) {
  const announce = useVoiceVault((state) => state.announce);
  const [draft, setDraft] = useState<Draft>(() => draftOf(detail));
  const [problem, setProblem] = useState<string>();
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const creating = !detail;

  async function importFile(file: File | undefined) {
    if (!file) return;
    set('promptsTsv', await file.text());
    setNotice(`Prompts loaded from ${file.name}; they are checked when you save.`);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setConflict(false);
    setNotice(undefined);
    try {
      const prompts = await call('adminParsePrompts', { tsv: draft.promptsTsv });
      const partition = {
        id: draft.id.trim(),
        name: draft.name,
        keepRaw: draft.keepRaw,
        rawGlacierDays: typed(draft.rawGlacierDays),
        rawExpireDays: typed(draft.rawExpireDays),
        featureTier: draft.featureTier,
        preset: draft.preset,
        requirements: Object.fromEntries(requirementFields.map(({ key }) => [key, typed(draft.requirements[key])])),
        prompts,
        consent: { version: draft.consentVersion.trim(), text: draft.consentText },
        ...(draft.listenBeforeSubmit ? { listenBeforeSubmit: true } : {}),
      };
      const saved = creating ? await call('adminCreatePartition', { partition }) : await call('adminSavePartition', { partition, etag: detail.etag });
      const words = `Partition ${saved.partition.id} saved.${saved.lifecycle.applied ? ' Its retention rule is in the bucket lifecycle.' : ` ${saved.lifecycle.problem}`}`;
      announce(words);
      onSaved(saved, words);
    } catch (error) {
      setProblem(problemText(error));
      setConflict(error instanceof CallFailed && error.code === 'Conflict');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="editor" aria-label={creating ? 'New partition' : `Edit partition ${detail.partition.id}`} onSubmit={(event) => void save(event)}>
      <fieldset>
        <legend>Partition</legend>
        <label>
          Partition id
          <input value={draft.id} onChange={(e) => set('id', e.target.value)} readOnly={!creating} aria-describedby="id-help" />
        </label>
        <label>
          Display name
          <input value={draft.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <p id="id-help" className="small wide">
          {creating ? 'Lowercase letters, digits and dashes; it cannot be changed later.' : 'A partition keeps its id.'}
        </p>
      </fieldset>
      <fieldset>
        <legend>What is stored, and for how long</legend>
        <label>
          Feature tier
          <select value={draft.featureTier} onChange={(e) => set('featureTier', e.target.value)}>
            {featureTiers.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Preset
          <select value={draft.preset} onChange={(e) => set('preset', e.target.value)}>
            {featurePresets.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.keepRaw} onChange={(e) => set('keepRaw', e.target.checked)} />
          Keep the raw audio (sealed)
        </label>
        <label>
          Raw audio to Glacier after (days)
          <input inputMode="numeric" value={draft.rawGlacierDays} onChange={(e) => set('rawGlacierDays', e.target.value)} />
        </label>
        <label>
          Raw audio deleted after (days)
          <input inputMode="numeric" value={draft.rawExpireDays} onChange={(e) => set('rawExpireDays', e.target.value)} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Audio requirements</legend>
        {requirementFields.map(({ key, label }) => (
          <label key={key}>
            {label}
            <input inputMode="decimal" value={draft.requirements[key]} onChange={(e) => set('requirements', { ...draft.requirements, [key]: e.target.value })} />
          </label>
        ))}
        <label className="checkbox wide">
          <input type="checkbox" checked={draft.listenBeforeSubmit} onChange={(e) => set('listenBeforeSubmit', e.target.checked)} />
          Contractors must listen to each take before submitting it
        </label>
      </fieldset>
      <fieldset>
        <legend>Prompts</legend>
        <label className="wide">
          Prompts, one per line: id, a tab, the text
          <textarea className="prompts" value={draft.promptsTsv} onChange={(e) => set('promptsTsv', e.target.value)} spellCheck={false} />
        </label>
        <label className="wide">
          Import prompts from a TSV file
          <input type="file" accept=".tsv,.txt,text/tab-separated-values,text/plain" onChange={(e) => void importFile(e.target.files?.[0])} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Consent</legend>
        <label>
          Consent version
          <input value={draft.consentVersion} onChange={(e) => set('consentVersion', e.target.value)} />
        </label>
        <label className="wide">
          Consent text
          <textarea value={draft.consentText} onChange={(e) => set('consentText', e.target.value)} />
        </label>
        <p className="small wide">Contractors accept consent once per version: new words need a new version, and everyone is asked again.</p>
      </fieldset>
      {problem && (
        <p role="alert" className="problem multiline">
          {problem}
        </p>
      )}
      {notice && <p className="notice">{notice}</p>}
      <div className="actions">
        <button type="submit" className="tone-primary" disabled={busy}>
          {busy ? 'Saving…' : creating ? 'Create partition' : 'Save changes'}
        </button>
        {conflict && onReload && (
          <button type="button" onClick={onReload}>
            Reload the newest version
          </button>
        )}
        <button type="button" onClick={onCancel}>
          Back to the partitions
        </button>
      </div>
    </form>
  );
}
