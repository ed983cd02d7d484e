// The state of VoiceVault's CloudWatch alarms.
import { call } from '../../api';
import { Problem } from '../../ui/Problem';
import { formatDate, useAdminData } from './useAdminData';

const readAlarms = () => call('adminGetAlarms');

export function AlarmsScreen() {
  const alarms = useAdminData(readAlarms);
  return (
    <section className="card" aria-labelledby="alarms-title">
      <h3 id="alarms-title">Alarms</h3>
      <Problem text={alarms.problem} />
      {alarms.data && alarms.data.length === 0 && <p>No VoiceVault alarms exist in this deployment.</p>}
      {alarms.data && alarms.data.length > 0 && (
        <table>
          <caption className="visually-hidden">Alarm state</caption>
          <thead>
            <tr>
              <th scope="col">Alarm</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {alarms.data.map((alarm) => (
              <tr key={alarm.name}>
                <td>{alarm.name}</td>
                <td className={`state-${alarm.state}`}>{alarm.state}</td>
                <td>{formatDate(alarm.updatedAt)}</td>
                <td>{alarm.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" onClick={() => void alarms.reload()}>
          Refresh
        </button>
      </div>
    </section>
  );
}
