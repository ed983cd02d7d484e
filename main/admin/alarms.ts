// The state of VoiceVault's CloudWatch alarms (names start with the configured prefix).
import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { voiceVaultConfig } from '../../shared/config';
import type { AlarmView } from '../../shared/domain';
import { toVoiceVaultError } from '../aws/errors';

export async function describeAlarms(cloudwatch: CloudWatchClient): Promise<AlarmView[]> {
  const alarms: AlarmView[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: voiceVaultConfig.alarms.alarmNamePrefix, ...(token ? { NextToken: token } : {}) }));
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        alarms.push({
          name: alarm.AlarmName ?? '',
          state: alarm.StateValue ?? 'UNKNOWN',
          reason: alarm.StateReason ?? '',
          ...(alarm.StateUpdatedTimestamp ? { updatedAt: alarm.StateUpdatedTimestamp.toISOString() } : {}),
        });
      }
      token = page.NextToken;
    } while (token);
  } catch (error) {
    throw toVoiceVaultError(error, 'read the alarm state');
  }
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}
