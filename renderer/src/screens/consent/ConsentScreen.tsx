// Consent is shown before the first take and again whenever the partition's consent version changes.
import { useState } from 'react';
import { problemText } from '../../api';
import { useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';
import { PrivacyPanel } from '../privacy/PrivacyPanel';

export function ConsentScreen() {
  const partition = useVoiceVault((state) => state.partition);
  const acceptConsent = useVoiceVault((state) => state.acceptConsent);
  const signOut = useVoiceVault((state) => state.signOut);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  if (!partition) return null;

  async function accept() {
    setBusy(true);
    setProblem(undefined);
    try {
      await acceptConsent(partition!.consent.version);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="consent-screen">
      <PrivacyPanel partition={partition} />
      <div className="card">
        <label className="checkbox">
          <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />I have read this and agree (consent version {partition.consent.version}).
        </label>
        <Problem text={problem} />
        <div className="actions">
          <button type="button" className="tone-primary" disabled={!agreed || busy} onClick={() => void accept()}>
            Accept and continue
          </button>
          <button type="button" onClick={() => void signOut()}>
            Decline and sign out
          </button>
        </div>
      </div>
    </div>
  );
}
