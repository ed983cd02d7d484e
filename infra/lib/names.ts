// Names and ARNs that are fixed by the shared config. They are built from pseudo parameters
// (account, region, partition) instead of resource references, so key policies can name the
// bucket, the roles, the trail and the log group without creating dependency cycles.
import { Aws } from 'aws-cdk-lib';
import { realBucketName, voiceVaultConfig as c } from '../../shared/config';

export interface StackNames {
  bucketName: string;
  trailBucketName: string;
  accessLogsBucketName: string;
  bucketArn: string;
  roleArn: (name: string) => string;
  contractorRoleArn: string;
  adminRoleArn: string;
  pipelineReaderRoleArn: string;
  trailArn: string;
  logGroupArn: string;
  s3ViaService: string;
  alarmArnPattern: string;
  alarmArn: (name: string) => string;
  alarmTopicArn: string;
  keyEventsRuleArn: string;
}

export function stackNames(): StackNames {
  const partition = Aws.PARTITION;
  const account = Aws.ACCOUNT_ID;
  const region = Aws.REGION;
  const bucketName = realBucketName(account, region);
  const roleArn = (name: string): string => `arn:${partition}:iam::${account}:role/${name}`;
  return {
    bucketName,
    trailBucketName: `${c.app}-trail-${account}-${region}`,
    accessLogsBucketName: `${c.app}-access-logs-${account}-${region}`,
    bucketArn: `arn:${partition}:s3:::${bucketName}`,
    roleArn,
    contractorRoleArn: roleArn(c.roles.contractor),
    adminRoleArn: roleArn(c.roles.admin),
    pipelineReaderRoleArn: roleArn(c.roles.pipelineReader),
    trailArn: `arn:${partition}:cloudtrail:${region}:${account}:trail/${c.audit.trailName}`,
    logGroupArn: `arn:${partition}:logs:${region}:${account}:log-group:${c.audit.logGroupName}`,
    s3ViaService: `s3.${region}.amazonaws.com`,
    alarmArnPattern: `arn:${partition}:cloudwatch:${region}:${account}:alarm:${c.alarms.alarmNamePrefix}*`,
    alarmArn: (name) => `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`,
    alarmTopicArn: `arn:${partition}:sns:${region}:${account}:${c.alarms.topicName}`,
    keyEventsRuleArn: `arn:${partition}:events:${region}:${account}:rule/${c.alarms.keyEventsRuleName}`,
  };
}

/** IAM policy variables: resolved per session from the identity pool's principal tags. */
export const tagVar = {
  contractor: '${aws:PrincipalTag/contractor}',
  partition: '${aws:PrincipalTag/partition}',
} as const;
