// The VoiceVault stack: keys, data bucket, audit trail, alarms, Cognito and the app roles.
// Everything is built from the shared config (shared/config.ts), like the emulator provisioning.
import { CfnCondition, CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import type { CfnIdentityPool } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';
import { SecurityAlarms } from './alarms';
import { Audit } from './audit';
import { DataBucket } from './data-bucket';
import { Identity } from './identity';
import { VoiceVaultKeys } from './keys';
import { stackNames } from './names';
import { applyNagAcknowledgements, type NagAcknowledgement } from './nag';
import { AppRoles } from './roles';

/** Output keys; they map 1:1 onto the app's `.voicevault/` state file fields. */
export const OUTPUTS = {
  region: 'Region',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  identityPoolId: 'IdentityPoolId',
  envelopeKeyArn: 'EnvelopeKeyArn',
  storageKeyArn: 'StorageKeyArn',
  bucket: 'Bucket',
} as const;

/** An IAM role or user ARN; the account root (`:root`) is refused on purpose. */
export const PIPELINE_PRINCIPAL_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=.@_/-]+$';

export interface VoiceVaultStackProps extends StackProps {
  /** Only for infra:check, to count what the acknowledgements hide. */
  skipNagAcknowledgements?: boolean;
}

export class VoiceVaultStack extends Stack {
  readonly keys: VoiceVaultKeys;
  readonly data: DataBucket;
  readonly audit: Audit;
  readonly alarms: SecurityAlarms;
  readonly identity: Identity;
  readonly roles: AppRoles;
  readonly nagAcknowledgements: NagAcknowledgement[];

  constructor(scope: Construct, id: string, props?: VoiceVaultStackProps) {
    super(scope, id, {
      description: 'VoiceVault: KMS keys, encrypted data bucket, CloudTrail audit, security alarms and key events, Cognito and least-privilege roles',
      ...props,
    });
    // Feature flags this stack relies on, set here so every app (cdk.json, tests) agrees:
    // server access logs are granted by bucket policy (not the legacy LogDeliveryWrite ACL,
    // which BucketOwnerEnforced forbids).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      default: '',
      description: 'E-mail address subscribed to the security-alarm topic (empty: no subscription)',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+$',
    });
    const mfa = new CfnParameter(this, 'MfaConfiguration', {
      type: 'String',
      default: 'ON',
      allowedValues: ['ON', 'OPTIONAL', 'OFF'],
      description: 'User pool MFA (TOTP): ON requires it for everyone',
    });
    const bulk = new CfnParameter(this, 'BulkGetObjectThreshold', {
      type: 'Number',
      default: c.alarms.bulkGetObjectThreshold,
      minValue: 1,
      description: `Alarm when more S3 GetObject calls than this happen within ${c.alarms.bulkGetObjectPeriodMinutes} minutes`,
    });
    const perPrincipal = new CfnParameter(this, 'PerPrincipalGetObjectThreshold', {
      type: 'Number',
      default: c.alarms.perPrincipalGetObjectThreshold,
      minValue: 1,
      description: `Alarm when one principal (session issuer role) makes more GetObject calls than this within ${c.alarms.bulkGetObjectPeriodMinutes} minutes`,
    });
    const enableGuardDuty = new CfnParameter(this, 'EnableGuardDuty', {
      type: 'String',
      default: 'false',
      allowedValues: ['true', 'false'],
      description: 'Create a GuardDuty detector with S3 protection (only if the account/region has none yet)',
    });
    const envelopeDecrypt = new CfnParameter(this, 'EnvelopeDecryptThreshold', {
      type: 'Number',
      default: c.alarms.envelopeDecryptThreshold,
      minValue: 1,
      description: `Alarm when more envelope-key Decrypt calls than this happen within ${c.alarms.bulkGetObjectPeriodMinutes} minutes`,
    });
    const objectLockMode = new CfnParameter(this, 'TrailObjectLockMode', {
      type: 'String',
      default: 'COMPLIANCE',
      allowedValues: ['COMPLIANCE', 'GOVERNANCE'],
      description: 'Object lock mode of the trail log files (COMPLIANCE: nobody, not even root, can delete them for a year)',
    });
    const pipelinePrincipals = new CfnParameter(this, 'PipelineReaderPrincipals', {
      type: 'CommaDelimitedList',
      allowedPattern: PIPELINE_PRINCIPAL_PATTERN,
      description: 'IAM role or user ARNs (comma-separated) that may assume the pipeline-reader role; never the account root',
    });
    const mfaOff = new CfnCondition(this, 'MfaOff', { expression: Fn.conditionEquals(mfa.valueAsString, 'OFF') });
    const guardDutyOn = new CfnCondition(this, 'GuardDutyOn', { expression: Fn.conditionEquals(enableGuardDuty.valueAsString, 'true') });

    const names = stackNames();
    this.keys = new VoiceVaultKeys(this, 'Keys', names);
    this.audit = new Audit(this, 'Audit', { names, key: this.keys.auditKey, objectLockMode: objectLockMode.valueAsString });
    this.data = new DataBucket(this, 'Data', { names, storageKey: this.keys.storageKey, accessLogsBucket: this.audit.accessLogsBucket });
    this.alarms = new SecurityAlarms(this, 'Alarms', {
      logGroup: this.audit.logGroup,
      key: this.keys.auditKey,
      envelopeKey: this.keys.envelopeKey,
      watchedKeys: [this.keys.envelopeKey, this.keys.storageKey, this.keys.auditKey],
      envelopeDecryptThreshold: envelopeDecrypt.valueAsNumber,
      bulkGetObjectThreshold: bulk.valueAsNumber,
      perPrincipalGetObjectThreshold: perPrincipal.valueAsNumber,
      alarmEmail: alarmEmail.valueAsString,
    });
    this.identity = new Identity(this, 'Identity', { mfaConfiguration: mfa.valueAsString, mfaOff });
    this.roles = new AppRoles(this, 'Roles', {
      names,
      envelopeKey: this.keys.envelopeKey,
      storageKey: this.keys.storageKey,
      identityPoolId: this.identityPool.ref,
      userPoolArn: this.identity.userPool.userPoolArn,
      pipelineReaderPrincipals: pipelinePrincipals.valueAsList,
    });
    this.identity.attachRoles({ contractor: this.roles.contractor, admin: this.roles.admin });

    const detector = new guardduty.CfnDetector(this, 'GuardDuty', {
      enable: true,
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: [{ name: 'S3_DATA_EVENTS', status: 'ENABLED' }],
    });
    detector.cfnOptions.condition = guardDutyOn;

    const out = (key: string, value: string, description: string): void => {
      new CfnOutput(this, key, { value, description });
    };
    out(OUTPUTS.region, this.region, 'state file: region');
    out(OUTPUTS.userPoolId, this.identity.userPool.userPoolId, 'state file: userPoolId');
    out(OUTPUTS.userPoolClientId, this.identity.client.userPoolClientId, 'state file: userPoolClientId');
    out(OUTPUTS.identityPoolId, this.identityPool.ref, 'state file: identityPoolId');
    out(OUTPUTS.envelopeKeyArn, this.keys.envelopeKey.keyArn, 'state file: envelopeKeyArn');
    out(OUTPUTS.storageKeyArn, this.keys.storageKey.keyArn, 'state file: storageKeyArn');
    out(OUTPUTS.bucket, this.data.bucket.bucketName, 'state file: bucket');
    out('AuditKeyArn', this.keys.auditKey.keyArn, 'Audit key: trail, trail log group, alarm topic');
    out('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic of the security alarms (audit key)');
    out('KeyEventsTopicArn', this.alarms.keyEventsTopic.topicArn, 'SNS topic of KMS key disable/deletion/policy events (no VoiceVault key)');
    out('TrailBucket', this.audit.trailBucket.bucketName, 'CloudTrail log bucket (object lock, TrailObjectLockMode)');
    out('AccessLogsBucket', this.audit.accessLogsBucket.bucketName, 'S3 server access logs');
    out('ContractorRoleArn', this.roles.contractor.roleArn, 'Contractor role');
    out('AdminRoleArn', this.roles.admin.roleArn, 'Admin role (Cognito group admins)');
    out('PipelineReaderRoleArn', this.roles.pipelineReader.roleArn, 'Training pipeline role');

    this.nagAcknowledgements = props?.skipNagAcknowledgements ? [] : applyNagAcknowledgements(this);
  }

  get identityPool(): CfnIdentityPool {
    return this.identity.identityPool;
  }
}
