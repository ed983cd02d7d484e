// Applies the emulator plan with plain SDK calls, idempotently: every step looks first and only
// creates what is missing, so provisioning twice against the same server changes nothing.
// (moto's CloudFormation drops trails, alarms and bucket policies, so the CDK template is not used.)
import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetGroupCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
  SetPrincipalTagAttributeMapCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient, ListAliasesCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { partitionConfigKey, voiceVaultConfig } from '../../shared/config';
import { demoPartition, type Partition } from '../../shared/partition';
import type { DemoUser, Deployment } from '../aws/deployment';
import { clientConfig, s3ClientConfig, type AwsTarget } from '../aws/target';
import { globalLifecycleRules } from '../partitions/lifecycle';
import { emulatorPlan, type EmulatorPlan } from './plan';

export interface ProvisionOptions {
  target: AwsTarget;
  /** Passwords from an earlier run are kept so a running app's users can still sign in. */
  previousDemoUsers?: DemoUser[];
  partitions?: Partition[];
  log?: (line: string) => void;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name.includes('NotFound') || name === 'NoSuchEntity' || name === 'NoSuchKey' || status === 404;
}

/** Meets the pool's password policy: every character class, well over the minimum length. */
export function generateDemoPassword(): string {
  return `Vv-${randomBytes(12).toString('base64url')}-7a`;
}

async function ensureKey(kms: KMSClient, key: EmulatorPlan['keys'][number]): Promise<string> {
  const aliases = await kms.send(new ListAliasesCommand({}));
  const existing = aliases.Aliases?.find((a) => a.AliasName === key.alias);
  if (existing?.TargetKeyId) {
    const described = await kms.send(new DescribeKeyCommand({ KeyId: existing.TargetKeyId }));
    if (described.KeyMetadata?.Arn) return described.KeyMetadata.Arn;
  }
  const created = await kms.send(
    new CreateKeyCommand({ Description: key.description, KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT' }),
  );
  const keyId = created.KeyMetadata?.KeyId;
  const arn = created.KeyMetadata?.Arn;
  if (!keyId || !arn) throw new Error(`KMS did not return a key for ${key.alias}`);
  await kms.send(new CreateAliasCommand({ AliasName: key.alias, TargetKeyId: keyId }));
  if (key.rotation) await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
  return arn;
}

async function ensureBucket(s3: S3Client, plan: EmulatorPlan['bucket'], storageKeyArn: string, region: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: plan.name }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await s3.send(
      new CreateBucketCommand({
        Bucket: plan.name,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
  }
  // The remaining settings are declarative puts: applying them again is a no-op.
  await s3.send(new PutBucketVersioningCommand({ Bucket: plan.name, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: plan.name,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: storageKeyArn },
            BucketKeyEnabled: plan.defaultEncryption.bucketKey,
          },
        ],
      },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: plan.name,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: plan.name, LifecycleConfiguration: { Rules: globalLifecycleRules() } }));
}

async function ensurePartitionConfig(s3: S3Client, bucket: string, partition: Partition): Promise<void> {
  const key = partitionConfigKey(partition.id);
  const body = `${JSON.stringify(partition, null, 2)}\n`;
  try {
    const current = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if ((await current.Body?.transformToString()) === body) return; // unchanged: no new version
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
}

async function ensureUserPool(idp: CognitoIdentityProviderClient, plan: EmulatorPlan): Promise<{ userPoolId: string; clientId: string }> {
  const pools = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((p) => p.Name === plan.userPool.name)?.Id;
  if (!userPoolId) {
    const policy = plan.userPool.passwordPolicy;
    const created = await idp.send(
      new CreateUserPoolCommand({
        PoolName: plan.userPool.name,
        Policies: {
          PasswordPolicy: {
            MinimumLength: policy.minimumLength,
            RequireLowercase: policy.requireLowercase,
            RequireUppercase: policy.requireUppercase,
            RequireNumbers: policy.requireDigits,
            RequireSymbols: policy.requireSymbols,
          },
        },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: plan.userPool.adminCreateUserOnly },
        Schema: plan.userPool.customAttributes.map((a) => ({ Name: a.name, AttributeDataType: 'String', Mutable: a.mutable })),
        UsernameAttributes: [],
      }),
    );
    userPoolId = created.UserPool?.Id;
    if (!userPoolId) throw new Error('Cognito did not return a user pool id');
  }

  const clients = await idp.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
  let clientId = clients.UserPoolClients?.find((c) => c.ClientName === plan.appClient.name)?.ClientId;
  const clientSettings = {
    UserPoolId: userPoolId,
    ClientName: plan.appClient.name,
    ExplicitAuthFlows: plan.appClient.explicitAuthFlows,
    ReadAttributes: plan.appClient.readAttributes,
    WriteAttributes: plan.appClient.writeAttributes,
  };
  if (clientId) {
    await idp.send(new UpdateUserPoolClientCommand({ ...clientSettings, ClientId: clientId }));
  } else {
    const created = await idp.send(new CreateUserPoolClientCommand({ ...clientSettings, GenerateSecret: plan.appClient.generateSecret }));
    clientId = created.UserPoolClient?.ClientId;
    if (!clientId) throw new Error('Cognito did not return an app client id');
  }

  for (const group of plan.userPool.groups) {
    try {
      await idp.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await idp.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    }
  }
  return { userPoolId, clientId };
}

async function ensureDemoUser(idp: CognitoIdentityProviderClient, userPoolId: string, user: DemoUser): Promise<void> {
  try {
    await idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: user.username }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const attributes = [{ Name: 'email', Value: `${user.username}@voicevault.local` }];
    if (user.partition) attributes.push({ Name: `custom:${voiceVaultConfig.userPool.partitionAttribute}`, Value: user.partition });
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: user.username, UserAttributes: attributes, MessageAction: 'SUPPRESS' }),
    );
  }
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: user.username, Password: user.password, Permanent: true }));
  if (user.role === 'admin') {
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.username, GroupName: voiceVaultConfig.userPool.groups.admins }));
  }
}

/**
 * moto 5.2 answers some identity-pool calls with a 500 page (not implemented). It enforces no
 * IAM for Cognito credentials anyway (config: emulatorDifferences.identityPoolSettings); the
 * real stack's role attachment and tag mapping are pinned by the infra tests.
 */
async function unlessEmulatorLacks(call: Promise<unknown>, what: string, log: (line: string) => void): Promise<void> {
  try {
    await call;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 500) throw error;
    log(`identity pool: ${what} is not supported by this emulator (skipped)`);
  }
}

function webIdentityTrustPolicy(): string {
  // The emulator does not enforce IAM; the real trust and permission policies are proven on the
  // CDK templates (infra/). The roles exist here so the identity pool can vend credentials.
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
      },
    ],
  });
}

async function ensureRole(iam: IAMClient, name: string): Promise<string> {
  try {
    const existing = await iam.send(new GetRoleCommand({ RoleName: name }));
    if (existing.Role?.Arn) return existing.Role.Arn;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const created = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: webIdentityTrustPolicy() }));
  if (!created.Role?.Arn) throw new Error(`IAM did not return a role for ${name}`);
  return created.Role.Arn;
}

async function ensureIdentityPool(
  identity: CognitoIdentityClient,
  plan: EmulatorPlan,
  region: string,
  userPoolId: string,
  clientId: string,
  contractorRoleArn: string,
  log: (line: string) => void,
): Promise<string> {
  const pools = await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
  let identityPoolId = pools.IdentityPools?.find((p) => p.IdentityPoolName === plan.identityPool.name)?.IdentityPoolId;
  const providerName = `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  if (!identityPoolId) {
    const created = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: plan.identityPool.name,
        AllowUnauthenticatedIdentities: plan.identityPool.allowUnauthenticated,
        CognitoIdentityProviders: [{ ProviderName: providerName, ClientId: clientId, ServerSideTokenCheck: true }],
      }),
    );
    identityPoolId = created.IdentityPoolId;
    if (!identityPoolId) throw new Error('Cognito did not return an identity pool id');
  }
  await unlessEmulatorLacks(
    identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId, Roles: { authenticated: contractorRoleArn } })),
    'identity pool role attachment',
    log,
  );
  await unlessEmulatorLacks(
    identity.send(
      new SetPrincipalTagAttributeMapCommand({
        IdentityPoolId: identityPoolId,
        IdentityProviderName: providerName,
        UseDefaults: false,
        PrincipalTags: plan.identityPool.principalTags,
      }),
    ),
    'principal-tag mapping',
    log,
  );
  return identityPoolId;
}

export function demoUsersFor(previous: DemoUser[] = []): DemoUser[] {
  const passwordOf = (username: string): string => previous.find((u) => u.username === username)?.password ?? generateDemoPassword();
  return [
    { username: 'ada', password: passwordOf('ada'), role: 'contractor', partition: demoPartition.id },
    { username: 'grace', password: passwordOf('grace'), role: 'contractor', partition: demoPartition.id },
    { username: 'admin', password: passwordOf('admin'), role: 'admin' },
  ];
}

export async function provisionEmulator(options: ProvisionOptions): Promise<Deployment> {
  const { target } = options;
  const log = options.log ?? (() => undefined);
  const plan = emulatorPlan();
  const kms = new KMSClient(clientConfig(target));
  const s3 = new S3Client(s3ClientConfig(target));
  const idp = new CognitoIdentityProviderClient(clientConfig(target));
  // One attempt: a call the emulator lacks should not be retried three times.
  const identity = new CognitoIdentityClient({ ...clientConfig(target), maxAttempts: 1 });
  const iam = new IAMClient(clientConfig(target));
  try {
    const [envelopeKeyArn, storageKeyArn] = await Promise.all(plan.keys.map((key) => ensureKey(kms, key)));
    if (!envelopeKeyArn || !storageKeyArn) throw new Error('keys were not provisioned');
    log(`keys: ${plan.keys.map((k) => k.alias).join(', ')}`);

    await ensureBucket(s3, plan.bucket, storageKeyArn, target.region);
    for (const partition of options.partitions ?? [demoPartition]) await ensurePartitionConfig(s3, plan.bucket.name, partition);
    log(`bucket: ${plan.bucket.name}`);

    const { userPoolId, clientId } = await ensureUserPool(idp, plan);
    const demoUsers = demoUsersFor(options.previousDemoUsers);
    for (const user of demoUsers) await ensureDemoUser(idp, userPoolId, user);
    log(`user pool: ${userPoolId} (users ${demoUsers.map((u) => u.username).join(', ')})`);

    const contractorRoleArn = await ensureRole(iam, plan.roles.contractor);
    await ensureRole(iam, plan.roles.admin);
    await ensureRole(iam, plan.roles.pipelineReader);
    const identityPoolId = await ensureIdentityPool(identity, plan, target.region, userPoolId, clientId, contractorRoleArn, log);
    log(`identity pool: ${identityPoolId}`);

    return {
      target: 'emulator',
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
      region: target.region,
      userPoolId,
      userPoolClientId: clientId,
      identityPoolId,
      envelopeKeyArn,
      storageKeyArn,
      bucket: plan.bucket.name,
      demoUsers,
    };
  } finally {
    for (const client of [kms, s3, idp, identity, iam]) client.destroy();
  }
}
