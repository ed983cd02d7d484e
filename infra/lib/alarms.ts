// Security alarms on the trail's log group, published to an SNS topic under the audit key, and an
// EventBridge rule for KMS key disable / deletion / policy events on any VoiceVault key, whose
// target topic is encrypted with no VoiceVault key (so it still delivers when one is disabled).
import { Aws, CfnCondition, Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';

export interface AlarmsProps {
  logGroup: logs.ILogGroup;
  /** The audit key: encrypts the alarm topic. */
  key: kms.IKey;
  /** The envelope key, whose Decrypt volume is watched. */
  envelopeKey: kms.IKey;
  /** Every VoiceVault key: the EventBridge rule watches them all. */
  watchedKeys: kms.IKey[];
  /** Envelope-key Decrypt threshold per period (parameter). */
  envelopeDecryptThreshold: number;
  /** Bulk GetObject threshold per period, all principals together (parameter). */
  bulkGetObjectThreshold: number;
  /** GetObject threshold per period for one principal, i.e. session issuer role (parameter). */
  perPrincipalGetObjectThreshold: number;
  /** E-mail address for the optional subscription; empty string means none (parameter). */
  alarmEmail: string;
}

/** CloudTrail metric-filter patterns (the tests write them out and run them on sample events). */
export const filterPatterns = {
  bulkGetObject: '{ ($.eventSource = "s3.amazonaws.com") && ($.eventName = "GetObject") }',
  keyDisableOrDeletion:
    '{ ($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion") || ($.eventName = "PutKeyPolicy")) }',
  bucketPolicyChanges:
    '{ ($.eventSource = "s3.amazonaws.com") && (($.eventName = "PutBucketPolicy") || ($.eventName = "DeleteBucketPolicy") || ($.eventName = "PutBucketAcl") || ($.eventName = "PutBucketPublicAccessBlock") || ($.eventName = "DeleteBucketPublicAccessBlock") || ($.eventName = "PutBucketEncryption") || ($.eventName = "DeleteBucketEncryption") || ($.eventName = "PutBucketOwnershipControls") || ($.eventName = "PutBucketVersioning")) }',
  trailChanges:
    '{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "CreateTrail") || ($.eventName = "UpdateTrail") || ($.eventName = "DeleteTrail") || ($.eventName = "StartLogging") || ($.eventName = "StopLogging") || ($.eventName = "PutEventSelectors")) }',
  unauthorizedApiCalls: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  /** KMS puts the key in the first (only) entry of a Decrypt event's resources. */
  envelopeDecrypt: (keyArn: string): string =>
    `{ ($.eventSource = "kms.amazonaws.com") && ($.eventName = "Decrypt") && ($.resources[0].ARN = "${keyArn}") }`,
} as const;

/** The KMS calls that can silence a key; reported by EventBridge (and by a metric-filter alarm). */
export const KEY_EVENT_NAMES = ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'];

export class SecurityAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly keyEventsTopic: sns.Topic;
  readonly keyEventsRule: events.CfnRule;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly insightRule: cloudwatch.CfnInsightRule;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(c.alarms.bulkGetObjectPeriodMinutes);
    const ns = c.alarms.metricNamespace;

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: c.alarms.topicName,
      displayName: 'VoiceVault security alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    const hasEmail = new CfnCondition(this, 'HasAlarmEmail', { expression: Fn.conditionNot(Fn.conditionEquals(props.alarmEmail, '')) });
    const subscription = new sns.CfnSubscription(this, 'EmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: props.alarmEmail,
    });
    subscription.cfnOptions.condition = hasEmail;

    // KMS events on any VoiceVault key. The target topic has no KMS key at all: encrypting it
    // under a VoiceVault key would let the very DisableKey it reports stop its delivery. The
    // events carry key ARNs and caller identities, never sample data.
    this.keyEventsTopic = new sns.Topic(this, 'KeyEventsTopic', {
      topicName: c.alarms.keyEventsTopicName,
      displayName: 'VoiceVault KMS key events',
      enforceSSL: true,
    });
    const keyEventsSubscription = new sns.CfnSubscription(this, 'KeyEventsEmailSubscription', {
      topicArn: this.keyEventsTopic.topicArn,
      protocol: 'email',
      endpoint: props.alarmEmail,
    });
    keyEventsSubscription.cfnOptions.condition = hasEmail;
    this.keyEventsRule = new events.CfnRule(this, 'KeyEventsRule', {
      name: c.alarms.keyEventsRuleName,
      description: 'KMS DisableKey, ScheduleKeyDeletion or PutKeyPolicy on a VoiceVault key',
      state: 'ENABLED',
      eventPattern: {
        source: ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: KEY_EVENT_NAMES,
          // The key is named by ARN in the record's resources, and by id or ARN in the request.
          $or: [
            { resources: { ARN: props.watchedKeys.map((k) => k.keyArn) } },
            { requestParameters: { keyId: props.watchedKeys.flatMap((k) => [k.keyArn, k.keyId]) } },
          ],
        },
      },
      targets: [{ id: 'KeyEventsTopic', arn: this.keyEventsTopic.topicArn }],
    });
    this.keyEventsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgePublishesKeyEvents',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.keyEventsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnEquals: { 'aws:SourceArn': this.keyEventsRule.attrArn } },
      }),
    );

    const action = new actions.SnsAction(this.topic);
    const filterAlarm = (
      name: string,
      pattern: string,
      threshold: number,
      description: string,
    ): cloudwatch.Alarm => {
      const metricName = name.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase());
      new logs.MetricFilter(this, `${metricName}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: ns,
        metricName,
        metricValue: '1',
        defaultValue: 0,
      });
      const alarm = new cloudwatch.Alarm(this, `${metricName}Alarm`, {
        alarmName: `${c.alarms.alarmNamePrefix}${name}`,
        alarmDescription: description,
        metric: new cloudwatch.Metric({ namespace: ns, metricName, statistic: 'Sum', period }),
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    const bulk = filterAlarm(
      'bulk-getobject',
      filterPatterns.bulkGetObject,
      props.bulkGetObjectThreshold,
      `More S3 GetObject calls than the threshold within ${c.alarms.bulkGetObjectPeriodMinutes} minutes (possible bulk exfiltration)`,
    );
    // "Above the threshold": strictly greater.
    (bulk.node.defaultChild as cloudwatch.CfnAlarm).comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    filterAlarm('kms-key-disable-or-deletion', filterPatterns.keyDisableOrDeletion, 1, 'A KMS key was disabled, scheduled for deletion, or had its key policy replaced');
    filterAlarm('bucket-policy-changes', filterPatterns.bucketPolicyChanges, 1, 'An S3 bucket policy, ACL, public-access block, encryption, ownership or versioning setting changed');
    filterAlarm('cloudtrail-changes', filterPatterns.trailChanges, 1, 'A CloudTrail trail was created, changed, stopped or deleted');
    filterAlarm(
      'unauthorized-api-calls',
      filterPatterns.unauthorizedApiCalls,
      c.alarms.unauthorizedApiCallsThreshold,
      'Unauthorized or access-denied API calls',
    );
    const decrypts = filterAlarm(
      'envelope-decrypt-volume',
      filterPatterns.envelopeDecrypt(props.envelopeKey.keyArn),
      props.envelopeDecryptThreshold,
      `More envelope-key Decrypt calls than the threshold within ${c.alarms.bulkGetObjectPeriodMinutes} minutes (possible bulk decryption)`,
    );
    (decrypts.node.defaultChild as cloudwatch.CfnAlarm).comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;

    // Per-principal bulk reads: Contributor Insights over the same trail events, keyed by the
    // session issuer (the role), so a reader that rotates session names is still one principal.
    const ruleName = c.alarms.perPrincipalInsightRuleName;
    this.insightRule = new cloudwatch.CfnInsightRule(this, 'GetObjectPerPrincipalRule', {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: JSON.stringify({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [c.audit.logGroupName],
        LogFormat: 'JSON',
        Contribution: {
          Keys: ['$.userIdentity.sessionContext.sessionIssuer.arn'],
          Filters: [
            { Match: '$.eventSource', In: ['s3.amazonaws.com'] },
            { Match: '$.eventName', In: ['GetObject'] },
          ],
        },
        AggregateOn: 'Count',
      }),
    });
    this.insightRule.node.addDependency(props.logGroup);
    const perPrincipal = new cloudwatch.Alarm(this, 'GetObjectPerPrincipalAlarm', {
      alarmName: `${c.alarms.alarmNamePrefix}getobject-per-principal`,
      alarmDescription: 'One principal (session issuer role) made more GetObject calls than the per-principal threshold',
      metric: new cloudwatch.MathExpression({
        expression: `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`,
        usingMetrics: {},
        period,
        label: 'GetObject calls by the top principal',
      }),
      threshold: props.perPrincipalGetObjectThreshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    perPrincipal.node.addDependency(this.insightRule);
    perPrincipal.addAlarmAction(action);
    this.alarms.push(perPrincipal);

    // CloudWatch may publish to the topic for these alarms only (confused-deputy guard).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnEquals: { 'aws:SourceArn': this.alarms.map((a) => a.alarmArn) } },
      }),
    );
  }
}
