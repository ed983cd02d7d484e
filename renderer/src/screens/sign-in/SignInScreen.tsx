// Sign-in with every step the user pool may ask for: password, a new password, TOTP enrolment
// (QR code + first code), a six-digit code, and forgot-password. Passwords never outlive an attempt.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { SignInStep } from '../../../../shared/domain';
import { call, problemText } from '../../api';
import { useVoiceVault } from '../../store';
import { Problem } from '../../ui/Problem';
import { QrCode } from '../../ui/QrCode';

type Step = { step: 'credentials' } | { step: 'forgot' } | { step: 'forgot-confirm'; username: string; destination: string } | Exclude<SignInStep, { step: 'signedIn' }>;

function StepForm({ title, onSubmit, busy, problem, children, submitLabel, extra }: { title: string; onSubmit: () => Promise<void>; busy: boolean; problem?: string; children: ReactNode; submitLabel: string; extra?: ReactNode }) {
  return (
    <form
      className="card sign-in"
      aria-label={title}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      <h2>{title}</h2>
      {children}
      <Problem text={problem} />
      <div className="actions">
        <button type="submit" className="tone-primary" disabled={busy}>
          {busy ? 'Please wait…' : submitLabel}
        </button>
        {extra}
      </div>
    </form>
  );
}

const codeInput = { inputMode: 'numeric' as const, pattern: '\\d{6}', maxLength: 6, autoComplete: 'one-time-code', required: true };

export function SignInScreen() {
  const signedIn = useVoiceVault((state) => state.signedIn);
  const announce = useVoiceVault((state) => state.announce);
  const [step, setStep] = useState<Step>({ step: 'credentials' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  async function attempt(work: () => Promise<SignInStep | undefined>) {
    setBusy(true);
    setProblem(undefined);
    try {
      const next = await work();
      setCode('');
      if (next && next.step === 'signedIn') await signedIn(next.session);
      else if (next) {
        setStep(next);
        announce(stepAnnouncement(next));
      }
    } catch (error) {
      setProblem(problemText(error));
      setCode('');
    } finally {
      // Never keep a password around longer than the attempt.
      setPassword('');
      setRepeat('');
      setBusy(false);
    }
  }

  const passwordsDiffer = () => {
    if (password === repeat) return false;
    setProblem('The two passwords are not the same. Type the new password twice.');
    return true;
  };

  switch (step.step) {
    case 'credentials':
      return (
        <StepForm
          title="Sign in"
          submitLabel="Sign in"
          busy={busy}
          problem={problem}
          onSubmit={() => attempt(() => call('signIn', { username, password }))}
          extra={
            <button type="button" className="link" onClick={() => (setProblem(undefined), setStep({ step: 'forgot' }))}>
              Forgot password?
            </button>
          }
        >
          {notice && <p className="notice">{notice}</p>}
          <label>
            User name
            <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
        </StepForm>
      );
    case 'newPasswordRequired':
      return (
        <StepForm
          title="Choose a new password"
          submitLabel="Set password"
          busy={busy}
          problem={problem}
          onSubmit={() => (passwordsDiffer() ? Promise.resolve() : attempt(() => call('completeNewPassword', { newPassword: password })))}
        >
          <p>Your admin gave you a temporary password. Choose your own: at least 12 characters.</p>
          <label>
            New password
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoFocus />
          </label>
          <label>
            New password again
            <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
          </label>
        </StepForm>
      );
    case 'mfaSetup':
      return (
        <StepForm title="Set up your authenticator" submitLabel="Confirm code" busy={busy} problem={problem} onSubmit={() => attempt(() => call('verifyMfaSetup', { code }))}>
          <p>Scan this code with an authenticator app (for example Google Authenticator, 1Password or Aegis), then type the six-digit code it shows.</p>
          <QrCode value={step.otpauthUri} label="QR code for your authenticator app" />
          <p>
            Cannot scan? Enter this key by hand: <code className="secret">{step.secret}</code>
          </p>
          <label>
            Six-digit code
            <input {...codeInput} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} autoFocus />
          </label>
        </StepForm>
      );
    case 'mfaCode':
      return (
        <StepForm title="Enter your code" submitLabel="Continue" busy={busy} problem={problem} onSubmit={() => attempt(() => call('submitMfaCode', { code }))}>
          <p>Open your authenticator app and type the six-digit code for VoiceVault.</p>
          <label>
            Six-digit code
            <input {...codeInput} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} autoFocus />
          </label>
        </StepForm>
      );
    case 'forgot':
      return (
        <StepForm
          title="Reset your password"
          submitLabel="Send me a code"
          busy={busy}
          problem={problem}
          onSubmit={() =>
            attempt(async () => {
              const { destination } = await call('forgotPassword', { username });
              setStep({ step: 'forgot-confirm', username, destination });
              announce(`A code was sent to ${destination}.`);
              return undefined;
            })
          }
          extra={
            <button type="button" className="link" onClick={() => (setProblem(undefined), setStep({ step: 'credentials' }))}>
              Back to sign-in
            </button>
          }
        >
          <label>
            User name
            <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus />
          </label>
        </StepForm>
      );
    case 'forgot-confirm':
      return (
        <StepForm
          title="Choose a new password"
          submitLabel="Change password"
          busy={busy}
          problem={problem}
          onSubmit={() =>
            passwordsDiffer()
              ? Promise.resolve()
              : attempt(async () => {
                  await call('confirmForgotPassword', { username: step.username, code, newPassword: password });
                  setNotice('Your password was changed. Sign in with the new one.');
                  announce('Password changed. Sign in with the new one.');
                  setStep({ step: 'credentials' });
                  return undefined;
                })
          }
          extra={
            <button type="button" className="link" onClick={() => (setProblem(undefined), setStep({ step: 'credentials' }))}>
              Back to sign-in
            </button>
          }
        >
          <p>We sent a code to {step.destination}. Type it here with your new password.</p>
          <label>
            Code from the message
            <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value.trim())} required autoFocus />
          </label>
          <label>
            New password
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          <label>
            New password again
            <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
          </label>
        </StepForm>
      );
  }
}

function stepAnnouncement(step: Exclude<SignInStep, { step: 'signedIn' }>): string {
  switch (step.step) {
    case 'newPasswordRequired':
      return 'Choose a new password.';
    case 'mfaSetup':
      return 'Set up your authenticator app: scan the QR code, then enter its six-digit code.';
    case 'mfaCode':
      return 'Enter the six-digit code from your authenticator app.';
  }
}
