import { GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient, ListAliasesCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand, ListUserPoolsCommand, ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { partitionConfigKey, voiceVaultConfig } from '../../shared/config';
import { clientConfig, s3ClientConfig } from '../aws/target';
import { provisionEmulator } from './provision';
import { useTestEmulator } from './test-emulator';

const emulator = useTestEmulator();

describe('emulator provisioning', () => {
  it('creates keys, bucket, pool, client, group and demo users from the shared config', async () => {
    const { deployment, adminTarget } = emulator();
    const s3 = new S3Client(s3ClientConfig(adminTarget));
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: deployment.bucket }));
    const rule = encryption.ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault).toMatchObject({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: deployment.storageKeyArn });
    expect(rule?.BucketKeyEnabled).toBe(true);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: deployment.bucket }))).Status).toBe('Enabled');
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: deployment.bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: deployment.bucket }));
    expect(lifecycle.Rules?.map((r) => r.ID).sort()).toEqual(['voicevault-abort-incomplete-multipart', 'voicevault-expire-noncurrent-versions']);

    const kms = new KMSClient(clientConfig(adminTarget));
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    for (const alias of [voiceVaultConfig.keys.envelope.alias, voiceVaultConfig.keys.storage.alias]) {
      const found = aliases.find((a) => a.AliasName === alias);
      expect(found, alias).toBeDefined();
      expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: found!.TargetKeyId! }))).KeyRotationEnabled).toBe(true);
    }

    const idp = new CognitoIdentityProviderClient(clientConfig(adminTarget));
    const client = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: deployment.userPoolId, ClientId: deployment.userPoolClientId }));
    expect(client.UserPoolClient?.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    expect(client.UserPoolClient?.WriteAttributes).not.toContain('custom:partition');
    const admins = await idp.send(new ListUsersInGroupCommand({ UserPoolId: deployment.userPoolId, GroupName: 'admins' }));
    expect(admins.Users?.map((u) => u.Username)).toEqual(['admin']);
    for (const c of [s3, kms, idp]) c.destroy();
  });

  it('provisions again against the same server without errors or duplicates', async () => {
    const { deployment, adminTarget } = emulator();
    const again = await provisionEmulator({ target: adminTarget, previousDemoUsers: deployment.demoUsers });
    expect(again).toEqual(deployment);

    const idp = new CognitoIdentityProviderClient(clientConfig(adminTarget));
    const pools = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.filter((p) => p.Name === voiceVaultConfig.userPool.name)).toHaveLength(1);
    const kms = new KMSClient(clientConfig(adminTarget));
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    expect(aliases.filter((a) => a.AliasName?.startsWith('alias/voicevault-'))).toHaveLength(2);
    const s3 = new S3Client(s3ClientConfig(adminTarget));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: deployment.bucket, Prefix: partitionConfigKey('demo') }));
    expect(versions.Versions).toHaveLength(1); // an unchanged partition config is not written again
    for (const c of [s3, kms, idp]) c.destroy();
  });
});
