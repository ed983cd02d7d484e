// What the emulator provisioning creates, derived from the shared config alone. The provisioner
// applies this plan with SDK calls; infra tests compare the CDK stack against it, so the two can
// differ only where `emulatorDifferences` says.
import { appClientAuthFlows, appClientWriteAttributes, emulatorDifferences, voiceVaultConfig, type AuthFlow } from '../../shared/config';

export interface KeyPlan {
  role: 'envelope' | 'storage';
  alias: string;
  description: string;
  rotation: boolean;
}

export interface EmulatorPlan {
  keys: KeyPlan[];
  bucket: {
    name: string;
    versioning: boolean;
    defaultEncryption: { algorithm: 'aws:kms'; keyAlias: string; bucketKey: boolean };
    blockPublicAccess: { blockPublicAcls: true; ignorePublicAcls: true; blockPublicPolicy: true; restrictPublicBuckets: true };
    lifecycle: { abortIncompleteMultipartDays: number; noncurrentVersionExpireDays: number };
  };
  userPool: {
    name: string;
    customAttributes: { name: string; mutable: boolean }[];
    passwordPolicy: typeof voiceVaultConfig.userPool.passwordPolicy;
    adminCreateUserOnly: boolean;
    groups: string[];
  };
  appClient: {
    name: string;
    generateSecret: false;
    explicitAuthFlows: AuthFlow[];
    readAttributes: string[];
    writeAttributes: string[];
  };
  identityPool: {
    name: string;
    allowUnauthenticated: boolean;
    principalTags: Record<string, string>;
  };
  roles: typeof voiceVaultConfig.roles;
}

export function emulatorPlan(): EmulatorPlan {
  const c = voiceVaultConfig;
  return {
    keys: (['envelope', 'storage'] as const).map((role) => ({
      role,
      alias: c.keys[role].alias,
      description: c.keys[role].description,
      rotation: true,
    })),
    bucket: {
      name: emulatorDifferences.bucketName,
      versioning: true,
      defaultEncryption: { algorithm: 'aws:kms', keyAlias: c.keys.storage.alias, bucketKey: true },
      blockPublicAccess: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      lifecycle: {
        abortIncompleteMultipartDays: c.bucket.lifecycle.abortIncompleteMultipartDays,
        noncurrentVersionExpireDays: c.bucket.lifecycle.noncurrentVersionExpireDays,
      },
    },
    userPool: {
      name: c.userPool.name,
      customAttributes: [{ name: c.userPool.partitionAttribute, mutable: true }],
      passwordPolicy: c.userPool.passwordPolicy,
      adminCreateUserOnly: true,
      groups: Object.values(c.userPool.groups),
    },
    appClient: {
      name: c.appClient.name,
      generateSecret: false,
      explicitAuthFlows: appClientAuthFlows('emulator'),
      readAttributes: [...c.appClient.readAttributes],
      writeAttributes: appClientWriteAttributes(),
    },
    identityPool: {
      name: c.identityPool.name,
      allowUnauthenticated: c.identityPool.allowUnauthenticated,
      principalTags: { ...c.identityPool.principalTags },
    },
    roles: c.roles,
  };
}
