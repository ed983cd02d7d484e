// "Withdraw consent and erase my samples": a request sealed and uploaded under the contractor's own
// prefix; an admin sees it and erases every sample. Asked twice, because it cannot be undone.
import { useState } from 'react';
import type { WithdrawalReceipt } from '../../../../shared/domain';
import { call, problemText } from '../../api';

export function WithdrawConsent() {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<WithdrawalReceipt | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  async function send() {
    setBusy(true);
    setProblem(undefined);
    try {
      setReceipt(await call('requestWithdrawal'));
      setConfirming(false);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  if (receipt) {
    return (
      <p className="notice" role="status">
        Your request to withdraw consent was sent on {new Date(receipt.requestedAt).toLocaleString()} (reference {receipt.requestId}). An admin will
        erase your samples.
      </p>
    );
  }
  return (
    <section aria-labelledby="withdraw-heading">
      <h3 id="withdraw-heading">Withdraw consent</h3>
      <p>You can ask for every sample you recorded in this partition to be erased. This cannot be undone.</p>
      {confirming ? (
        <>
          <button type="button" className="danger" disabled={busy} onClick={() => void send()}>
            {busy ? 'Sending…' : 'Yes, withdraw consent and erase my samples'}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep my samples
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Withdraw consent and erase my samples…
        </button>
      )}
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
    </section>
  );
}
