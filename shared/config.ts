// The one place that names VoiceVault's AWS resources. The CDK stack (infra/), the emulator
// provisioning (main/emulator), the app and the tests all read this object, so they cannot drift.
// Where the local emulator must differ from the real stack, the difference is declared in
// `emulatorDifferences` below and nowhere else.

export type AuthFlow =
  | 'ALLOW_USER_SRP_AUTH'
  | 'ALLOW_REFRESH_TOKEN_AUTH'
  | 'ALLOW_USER_PASSWORD_AUTH';

export type ObjectKind = 'raw' | 'features' | 'manifest';

export const voiceVaultConfig = {
  app: 'voicevault',
  defaultRegion: 'eu-central-1',

  keys: {
    /** Client-side envelope sealing (AWS Encryption SDK). Contractors may only GenerateDataKey. */
    envelope: {
      alias: 'alias/voicevault-envelope',
      description: 'VoiceVault envelope key: client-side sealing of samples, features and manifests',
    },
    /** Bucket default SSE-KMS (with bucket key); usable by principals only through S3. */
    storage: {
      alias: 'alias/voicevault-storage',
      description: 'VoiceVault storage key: S3 default encryption of the data bucket',
    },
  },

  bucket: {
    /** The real stack appends account and region to stay globally unique. */
    namePrefix: 'voicevault-data',
    prefixes: {
      raw: 'raw',
      features: 'features',
      manifests: 'manifests',
      partitionConfig: 'config/partitions',
    },
    /** Global lifecycle rules always written by the partition tooling (DESIGN.md: Lifecycle). */
    lifecycle: {
      abortIncompleteMultipartDays: 1,
      noncurrentVersionExpireDays: 7,
      rawGlacierDaysDefault: 30,
      rawExpireDaysDefault: 365,
    },
  },

  userPool: {
    name: 'voicevault-users',
    /** Stored as `custom:partition`; only admins may write it. */
    partitionAttribute: 'partition',
    groups: { admins: 'admins' },
    passwordPolicy: {
      minimumLength: 14,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
    },
  },

  appClient: {
    name: 'voicevault-desktop',
    /** The real client is SRP only: the password never leaves the laptop. */
    authFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as AuthFlow[],
    readAttributes: ['email', 'email_verified', 'custom:partition'],
    /** `custom:partition` is deliberately absent: a contractor must not move themselves. */
    writeAttributes: ['email'],
    accessTokenValidityMinutes: 60,
    refreshTokenValidityDays: 30,
  },

  identityPool: {
    name: 'voicevault_identities',
    allowUnauthenticated: false,
    /** Session principal tag ← ID-token claim (attributes for access control). */
    principalTags: {
      contractor: 'sub',
      partition: 'custom:partition',
    },
  },

  roles: {
    contractor: 'voicevault-contractor',
    admin: 'voicevault-admin',
    pipelineReader: 'voicevault-pipeline-reader',
  },

  encryptionContext: {
    app: 'voicevault',
  },

  alarms: {
    bulkGetObjectThreshold: 10_000,
    bulkGetObjectPeriodMinutes: 5,
    /** Contributor Insights: GetObject calls by one principal session within the same period. */
    perPrincipalGetObjectThreshold: 2_000,
    /** AccessDenied/UnauthorizedOperation responses within the same period. */
    unauthorizedApiCallsThreshold: 5,
    topicName: 'voicevault-security-alarms',
    /** Alarm names start with this, so the admin role can be scoped to them. */
    alarmNamePrefix: 'voicevault-',
    perPrincipalInsightRuleName: 'voicevault-getobject-per-principal',
    metricNamespace: 'VoiceVault/Audit',
  },

  audit: {
    logRetentionDays: 365,
    trailName: 'voicevault-trail',
    logGroupName: '/voicevault/cloudtrail',
  },

  /** The CloudFormation stack name of the real deployment (infra/). */
  stackName: 'VoiceVault',
} as const;

export type VoiceVaultConfig = typeof voiceVaultConfig;

/**
 * Everything the emulator does differently from the real stack. Each entry says why; a test
 * compares the stack and the provisioning and allows exactly these differences.
 */
export const emulatorDifferences = {
  /** moto accepts any SRP proof, so wrong-password tests need USER_PASSWORD_AUTH. */
  appClientExtraAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] as AuthFlow[],
  /** moto mis-evaluates conditional bucket-policy Denies, so the emulator bucket has no policy. */
  bucketPolicy: false,
  /** moto's CloudFormation drops trails and alarms; the emulator provisions neither. */
  auditTrail: false,
  alarms: false,
  /**
   * moto lacks SetIdentityPoolRoles and SetPrincipalTagAttributeMap and enforces no IAM for
   * Cognito credentials; the provisioning tries them and goes on when the emulator refuses.
   */
  identityPoolSettings: 'best-effort',
  /** A fixed name: there is no account id to make it unique. */
  bucketName: 'voicevault-data-local',
} as const;

export function realBucketName(account: string, region: string): string {
  return `${voiceVaultConfig.bucket.namePrefix}-${account}-${region}`;
}

/** The auth flows the app client allows in a given target. */
export function appClientAuthFlows(target: 'aws' | 'emulator'): AuthFlow[] {
  const base = [...voiceVaultConfig.appClient.authFlows];
  return target === 'emulator' ? [...base, ...emulatorDifferences.appClientExtraAuthFlows] : base;
}

/** `raw/<partition>/<contractor>/`, `features/…`, `manifests/…`: where a contractor may write. */
export function contractorPrefix(kind: ObjectKind, partition: string, contractor: string): string {
  const top = kind === 'manifest' ? voiceVaultConfig.bucket.prefixes.manifests : voiceVaultConfig.bucket.prefixes[kind];
  return `${top}/${partition}/${contractor}/`;
}

export function partitionConfigKey(partition: string): string {
  return `${voiceVaultConfig.bucket.prefixes.partitionConfig}/${partition}.json`;
}
