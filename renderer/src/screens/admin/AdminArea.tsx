// The admin area: shown by the app shell only to members of the admins group, and every call it makes
// is refused by main for anyone else. Partitions (status, editor, assignment, what contractors may do),
// consent-withdrawal requests, the access review, the bucket lifecycle and the alarm state.
import { useState } from 'react';
import { AccessReviewScreen } from './AccessReviewScreen';
import { AlarmsScreen } from './AlarmsScreen';
import { LifecycleScreen } from './LifecycleScreen';
import { PartitionsScreen } from './PartitionsScreen';
import { RequestsScreen } from './RequestsScreen';
import './admin.css';

type AdminScreen = 'partitions' | 'requests' | 'access-review' | 'lifecycle' | 'alarms';

const screens: { screen: AdminScreen; label: string }[] = [
  { screen: 'partitions', label: 'Partitions' },
  { screen: 'requests', label: 'Withdrawal requests' },
  { screen: 'access-review', label: 'Access review' },
  { screen: 'lifecycle', label: 'Lifecycle' },
  { screen: 'alarms', label: 'Alarms' },
];

function Current({ screen }: { screen: AdminScreen }) {
  switch (screen) {
    case 'partitions':
      return <PartitionsScreen />;
    case 'requests':
      return <RequestsScreen />;
    case 'access-review':
      return <AccessReviewScreen />;
    case 'lifecycle':
      return <LifecycleScreen />;
    case 'alarms':
      return <AlarmsScreen />;
  }
}

export function AdminArea() {
  const [screen, setScreen] = useState<AdminScreen>('partitions');
  return (
    <section className="admin" aria-labelledby="admin-title">
      <h2 id="admin-title" className="visually-hidden">
        Admin
      </h2>
      <nav aria-label="Admin">
        <ul className="nav">
          {screens.map((item) => (
            <li key={item.screen}>
              <button type="button" className="nav-item" aria-current={screen === item.screen ? 'page' : undefined} onClick={() => setScreen(item.screen)}>
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <Current screen={screen} />
    </section>
  );
}
