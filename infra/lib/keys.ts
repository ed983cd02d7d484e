// The three customer-managed keys and their key policies: envelope (client-side sealing),
// storage (bucket default SSE-KMS) and audit (trail, trail log group, alarm topic).
//
// Each key policy separates key administration (account IAM admins, via the account root
// principal: lifecycle and policy actions only, never a cryptographic operation) from key use
// (named roles, each with conditions). The app roles are additionally denied key administration,
// and the contractor and admin roles are explicitly denied envelope decryption.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';
import { tagVar, type StackNames } from './names';

/** Administration only: no Encrypt/Decrypt/GenerateDataKey/ReEncrypt and no CreateGrant. */
export const KEY_ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:DescribeKey',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/** Cryptographic operations that must never reach a principal outside its statement. */
export const KEY_CRYPTO_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:CreateGrant',
];

export const ENVELOPE_KINDS_CONTRACTOR = ['raw', 'features', 'manifest', 'request'];
export const ENVELOPE_KINDS_PIPELINE = ['features', 'manifest'];

function adminStatements(names: StackNames): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'KeyAdministrationByAccountAdmins',
      principals: [new iam.AccountRootPrincipal()],
      actions: KEY_ADMIN_ACTIONS,
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DenyKeyAdministrationToAppRoles',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: KEY_ADMIN_ACTIONS.filter((a) => a !== 'kms:DescribeKey'),
      resources: ['*'],
      conditions: {
        ArnEquals: { 'aws:PrincipalArn': [names.contractorRoleArn, names.adminRoleArn, names.pipelineReaderRoleArn] },
      },
    }),
  ];
}

export function envelopeKeyPolicy(names: StackNames): iam.PolicyDocument {
  const app = c.encryptionContext.app;
  return new iam.PolicyDocument({
    statements: [
      ...adminStatements(names),
      new iam.PolicyStatement({
        sid: 'ContractorsGenerateDataKeyForOwnContextOnly',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': names.contractorRoleArn },
          StringEquals: {
            'kms:EncryptionContext:app': app,
            'kms:EncryptionContext:contractor': tagVar.contractor,
            'kms:EncryptionContext:partition': tagVar.partition,
            'kms:EncryptionContext:kind': ENVELOPE_KINDS_CONTRACTOR,
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'PipelineReaderDecryptFeaturesAndManifestsOnly',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': names.pipelineReaderRoleArn },
          StringEquals: {
            'kms:EncryptionContext:app': app,
            'kms:EncryptionContext:kind': ENVELOPE_KINDS_PIPELINE,
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DenyPipelineReaderDecryptOfOtherKinds',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': names.pipelineReaderRoleArn },
          StringNotEquals: { 'kms:EncryptionContext:kind': ENVELOPE_KINDS_PIPELINE },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DenyEnvelopeDecryptToContractorsAndAdmins',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:CreateGrant'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': [names.contractorRoleArn, names.adminRoleArn] } },
      }),
    ],
  });
}

export function storageKeyPolicy(names: StackNames): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      ...adminStatements(names),
      new iam.PolicyStatement({
        sid: 'PrincipalsUseOnlyThroughS3ForTheDataBucket',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:ViaService': names.s3ViaService,
            'kms:CallerAccount': Aws.ACCOUNT_ID,
            'kms:EncryptionContext:aws:s3:arn': names.bucketArn,
          },
        },
      }),
    ],
  });
}

/**
 * The audit key: CloudTrail log files, the trail log group and the alarm topic. Each service may
 * use it only for its own resource (source ARN or encryption context), so the key cannot be
 * borrowed for anything else, and disabling a data key leaves detection running.
 */
export function auditKeyPolicy(names: StackNames): iam.PolicyDocument {
  const account = Aws.ACCOUNT_ID;
  const trailContext = `arn:${Aws.PARTITION}:cloudtrail:*:${account}:trail/*`;
  return new iam.PolicyDocument({
    statements: [
      ...adminStatements(names),
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': names.trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailContext },
        },
      }),
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribeKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': names.trailArn } },
      }),
      new iam.PolicyStatement({
        sid: 'AuditorsReadTrailLogsThroughS3',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': names.s3ViaService },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailContext },
        },
      }),
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptTheTrailLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': names.logGroupArn } },
      }),
      // SNS encrypts each message under the topic's key with `aws:sns:topicArn` as context; the
      // publisher (CloudWatch) needs the key for that topic and no other.
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsUseItForTheAlarmTopicOnly',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account, 'kms:EncryptionContext:aws:sns:topicArn': names.alarmTopicArn },
        },
      }),
    ],
  });
}

export class VoiceVaultKeys extends Construct {
  readonly envelopeKey: kms.Key;
  readonly storageKey: kms.Key;
  readonly auditKey: kms.Key;

  constructor(scope: Construct, id: string, names: StackNames) {
    super(scope, id);
    this.envelopeKey = new kms.Key(this, 'EnvelopeKey', {
      description: c.keys.envelope.description,
      alias: c.keys.envelope.alias,
      enableKeyRotation: true,
      policy: envelopeKeyPolicy(names),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.storageKey = new kms.Key(this, 'StorageKey', {
      description: c.keys.storage.description,
      alias: c.keys.storage.alias,
      enableKeyRotation: true,
      policy: storageKeyPolicy(names),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.auditKey = new kms.Key(this, 'AuditKey', {
      description: c.keys.audit.description,
      alias: c.keys.audit.alias,
      enableKeyRotation: true,
      policy: auditKeyPolicy(names),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
