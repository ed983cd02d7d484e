// Audit: an isolated, object-locked trail bucket, a separate server-access-log bucket, a
// multi-region CloudTrail with log file validation (management events plus S3 data events for
// the data bucket, encrypted with the audit key) and a CloudWatch log group under the same key,
// kept for a year. The audit key protects nothing else, so disabling a data key leaves it running.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { voiceVaultConfig as c } from '../../shared/config';
import type { StackNames } from './names';

export class Audit extends Construct {
  /** Server access logs of the data and trail buckets (SSE-S3: log delivery supports nothing else). */
  readonly accessLogsBucket: s3.Bucket;
  /** CloudTrail log files, each encrypted by CloudTrail with the audit key; object lock on. */
  readonly trailBucket: s3.Bucket;
  readonly logGroup: logs.LogGroup;
  readonly trail: cloudtrail.CfnTrail;

  constructor(scope: Construct, id: string, props: { names: StackNames; key: kms.IKey; objectLockMode: string }) {
    super(scope, id);
    const { names, key } = props;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      bucketName: names.accessLogsBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trailBucket = new s3.Bucket(this, 'TrailBucket', {
      bucketName: names.trailBucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      objectLockEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'trail-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The retention mode is a parameter (COMPLIANCE or GOVERNANCE); the L2 wants a literal.
    (this.trailBucket.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: props.objectLockMode, days: c.audit.logRetentionDays } },
    };
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': names.trailArn } };
    this.trailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:GetBucketAcl'],
        resources: [this.trailBucket.bucketArn],
        conditions: fromThisTrail,
      }),
    );
    this.trailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.trailBucket.arnForObjects(`AWSLogs/${this.trailBucket.stack.account}/*`)],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': names.trailArn } },
      }),
    );

    this.logGroup = new logs.LogGroup(this, 'TrailLogGroup', {
      logGroupName: c.audit.logGroupName,
      retention: c.audit.logRetentionDays as logs.RetentionDays,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const deliveryPolicy = new iam.ManagedPolicy(this, 'TrailToLogsPolicy', {
      description: 'CloudTrail delivers the VoiceVault trail to its CloudWatch log group',
      statements: [
        new iam.PolicyStatement({
          sid: 'DeliverTrailEvents',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${names.logGroupArn}:log-stream:*`],
        }),
      ],
    });
    const deliveryRole = new iam.Role(this, 'TrailToLogsRole', {
      description: 'Assumed by CloudTrail (this trail only) to write to the trail log group',
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceArn': names.trailArn, 'aws:SourceAccount': this.trailBucket.stack.account } },
      }),
      managedPolicies: [deliveryPolicy],
    });

    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName: c.audit.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      s3BucketName: this.trailBucket.bucketName,
      kmsKeyId: key.keyArn,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: deliveryRole.roleArn,
      eventSelectors: [
        {
          readWriteType: 'All',
          includeManagementEvents: true,
          dataResources: [{ type: 'AWS::S3::Object', values: [`${names.bucketArn}/`] }],
        },
      ],
    });
    this.trail.node.addDependency(this.trailBucket.policy!);
    this.trail.node.addDependency(deliveryPolicy);
  }
}
