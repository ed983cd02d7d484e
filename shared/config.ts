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
    /**
     * The trail, its log group and the alarm topic: whoever disables a data key cannot also
     * silence detection. Real stack only (emulatorDifferences.auditKey).
     */
    audit: {
      alias: 'alias/voicevault-audit',
      description: 'VoiceVault audit key: CloudTrail log files, the trail log group and the alarm topic',
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
      /** Deletion feed for the training side: append-only, never deleted. */
      deletions: 'deletions',
      /** Consent-withdrawal requests: `requests/<partition>/<contractor>/…`, written once by the contractor. */
      requests: 'requests',
    },
    /** Global lifecycle rules always written by the partition tooling (docs/storage-layout.md: lifecycle). */
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
    /**
     * The app writes no user attributes: `email` is the recovery channel and `custom:partition`
     * moves a contractor between partitions; only admins change either.
     */
    writeAttributes: [] as string[],
    /**
     * Cognito reads an empty WriteAttributes as "every standard attribute is writable", so the
     * client's list holds this one attribute instead: nothing reads it (not in readAttributes, no
     * policy, no principal tag), so writing it changes nothing. See appClientWriteAttributes().
     */
    inertWriteAttribute: 'zoneinfo',
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
    /** Contributor Insights: GetObject calls by one principal (session issuer role) within the same period. */
    perPrincipalGetObjectThreshold: 2_000,
    /** AccessDenied/UnauthorizedOperation responses within the same period. */
    unauthorizedApiCallsThreshold: 5,
    topicName: 'voicevault-security-alarms',
    /** Alarm names start with this, so the admin role can be scoped to them. */
    alarmNamePrefix: 'voicevault-',
    perPrincipalInsightRuleName: 'voicevault-getobject-per-principal',
    /** Envelope-key Decrypt calls (all principals) within the same period. */
    envelopeDecryptThreshold: 20_000,
    /** KMS DisableKey / ScheduleKeyDeletion / PutKeyPolicy on a VoiceVault key (EventBridge). */
    keyEventsRuleName: 'voicevault-key-events',
    /** Target of that rule: encrypted with no VoiceVault key, so it survives any of them being disabled. */
    keyEventsTopicName: 'voicevault-key-events',
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
  /** The audit key protects only the trail, its log group and the alarm topic, none of which the emulator has. */
  auditKey: false,
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

/** What the app client may write: never empty, since Cognito reads [] as "all standard attributes". */
export function appClientWriteAttributes(): string[] {
  const attributes = [...voiceVaultConfig.appClient.writeAttributes];
  return attributes.length > 0 ? attributes : [voiceVaultConfig.appClient.inertWriteAttribute];
}

/** `raw/<partition>/<contractor>/`, `features/…`, `manifests/…`: where a contractor may write. */
export function contractorPrefix(kind: ObjectKind, partition: string, contractor: string): string {
  const top = kind === 'manifest' ? voiceVaultConfig.bucket.prefixes.manifests : voiceVaultConfig.bucket.prefixes[kind];
  return `${top}/${partition}/${contractor}/`;
}

export function partitionConfigKey(partition: string): string {
  return `${voiceVaultConfig.bucket.prefixes.partitionConfig}/${partition}.json`;
}
