// The window: the environment banner, navigation once signed in, the current screen, and the live
// region that announces recording state and upload results.
import { useEffect, type DragEvent } from 'react';
import { AdminArea } from './screens/admin/AdminArea';
import { ConsentScreen } from './screens/consent/ConsentScreen';
import { ImportScreen } from './screens/import/ImportScreen';
import { MicCheckScreen } from './screens/mic-check/MicCheckScreen';
import { OutboxScreen } from './screens/outbox/OutboxScreen';
import { PrivacyScreen } from './screens/privacy/PrivacyScreen';
import { RecorderScreen } from './screens/recorder/RecorderScreen';
import { SignInScreen } from './screens/sign-in/SignInScreen';
import { useVoiceVault, type Screen } from './store';
import { EnvironmentBanner } from './ui/EnvironmentBanner';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { LiveRegion } from './ui/LiveRegion';
import { Problem } from './ui/Problem';

const navigation: { screen: Screen; label: string }[] = [
  { screen: 'mic-check', label: 'Microphone' },
  { screen: 'recorder', label: 'Record' },
  { screen: 'import', label: 'Import' },
  { screen: 'outbox', label: 'Outbox' },
  { screen: 'privacy', label: 'Privacy' },
];

function CurrentScreen({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'sign-in':
      return <SignInScreen />;
    case 'consent':
      return <ConsentScreen />;
    case 'mic-check':
      return <MicCheckScreen />;
    case 'recorder':
      return <RecorderScreen />;
    case 'import':
      return <ImportScreen />;
    case 'outbox':
      return <OutboxScreen />;
    case 'privacy':
      return <PrivacyScreen />;
  }
}

// A file dropped outside the import zone must not replace the page.
const refuseDrop = (event: DragEvent) => event.preventDefault();

export function App() {
  const info = useVoiceVault((state) => state.info);
  const session = useVoiceVault((state) => state.session);
  const partition = useVoiceVault((state) => state.partition);
  const screen = useVoiceVault((state) => state.screen);
  const problem = useVoiceVault((state) => state.problem);
  const outbox = useVoiceVault((state) => state.outbox);
  const loadInfo = useVoiceVault((state) => state.loadInfo);
  const go = useVoiceVault((state) => state.go);
  const signOut = useVoiceVault((state) => state.signOut);

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  const consentPending = screen === 'consent';
  const inFlight = outbox.filter((item) => item.state !== 'uploaded' && item.state !== 'failed').length;
  return (
    <div className="app-shell" onDragOver={refuseDrop} onDrop={refuseDrop}>
      <EnvironmentBanner info={info} />
      <div className="app">
        <header className="app-header">
          <h1>VoiceVault</h1>
          {session && (
            <p className="signed-in">
              Signed in as <strong>{session.username}</strong>
              {partition && (
                <>
                  {' '}
                  · {partition.name}
                </>
              )}{' '}
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </p>
          )}
        </header>
        {session && partition && !consentPending && (
          <nav aria-label="Main">
            <ul className="nav">
              {navigation.map((item) => (
                <li key={item.screen}>
                  <button type="button" className="nav-item" aria-current={screen === item.screen ? 'page' : undefined} onClick={() => go(item.screen)}>
                    {item.label}
                    {item.screen === 'outbox' && inFlight > 0 && <span className="count"> ({inFlight})</span>}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main>
          {session?.isAdmin ? (
            // Admins get the admin area; main refuses its calls to anyone outside the admins group.
            <AdminArea />
          ) : (
            <>
              <Problem text={screen === 'outbox' ? undefined : problem} />
              <ErrorBoundary key={screen} onReset={() => go(session ? 'outbox' : 'sign-in')}>
                <CurrentScreen screen={session ? screen : 'sign-in'} />
              </ErrorBoundary>
            </>
          )}
        </main>
      </div>
      <LiveRegion />
    </div>
  );
}
