import { useEffect, useState } from 'react';
import type { AppInfo, SessionSummary } from '../../shared/ipc-contract';
import type { Partition } from '../../shared/partition';
import { voiceVaultApi } from './api';
import { PartitionView } from './PartitionView';
import { SignInForm } from './SignInForm';

export function App() {
  const [info, setInfo] = useState<AppInfo | undefined>();
  const [session, setSession] = useState<SessionSummary | undefined>();
  const [partition, setPartition] = useState<Partition | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    voiceVaultApi()
      .getAppInfo()
      .then((result) => (result.type === 'success' ? setInfo(result.value) : setProblem(result.message)))
      .catch(() => setProblem('VoiceVault could not reach its main process.'));
  }, []);

  async function onSignedIn(summary: SessionSummary) {
    setSession(summary);
    const result = await voiceVaultApi().getPartition();
    if (result.type === 'success') setPartition(result.value);
    else setProblem(result.message);
  }

  async function signOut() {
    await voiceVaultApi().signOut();
    setSession(undefined);
    setPartition(undefined);
  }

  return (
    <main className="app">
      <header className="app-header">
        <h1>VoiceVault</h1>
        {info && (
          <p className="app-target" aria-label="connection">
            {info.target === 'emulator' ? 'Local emulator' : 'AWS'} · {info.region} · v{info.version}
          </p>
        )}
      </header>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
      {!session && <SignInForm onSignedIn={(summary) => void onSignedIn(summary)} />}
      {session && (
        <section aria-label="session">
          <p className="signed-in">
            Signed in as <strong>{session.username}</strong> · partition <strong>{session.partition}</strong>{' '}
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </p>
          {partition && <PartitionView partition={partition} />}
        </section>
      )}
    </main>
  );
}
