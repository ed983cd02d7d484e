import { useState, type FormEvent } from 'react';
import type { SessionSummary } from '../../shared/ipc-contract';
import { voiceVaultApi } from './api';

export function SignInForm({ onSignedIn }: { onSignedIn: (summary: SessionSummary) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const result = await voiceVaultApi().signIn({ username, password });
    setBusy(false);
    setPassword(''); // never keep a password around longer than the attempt
    if (result.type === 'success') onSignedIn(result.value);
    else setError(result.message);
  }

  return (
    <form className="sign-in" onSubmit={(event) => void submit(event)} aria-label="Sign in">
      <h2>Sign in</h2>
      <label>
        User name
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && (
        <p role="alert" className="problem">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
