// Cognito: the user pool contractors and admins sign in to (SRP, admin-created accounts only),
// the identity pool that trades ID tokens for scoped credentials with principal tags, and the
// token-based role mapping (group admins → admin role, everyone else → contractor role).
import { Duration, Fn, RemovalPolicy, Stack, type CfnCondition } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { appClientWriteAttributes, voiceVaultConfig as c } from '../../shared/config';

export interface IdentityProps {
  /** OFF | OPTIONAL | ON (parameter). */
  mfaConfiguration: string;
  mfaOff: CfnCondition;
}

export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly identityPool: cognito.CfnIdentityPool;
  readonly providerName: string;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const pw = c.userPool.passwordPolicy;
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: c.userPool.name,
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: false, mutable: true } },
      customAttributes: {
        [c.userPool.partitionAttribute]: new cognito.StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
      },
      passwordPolicy: {
        minLength: pw.minimumLength,
        requireLowercase: pw.requireLowercase,
        requireUppercase: pw.requireUppercase,
        requireDigits: pw.requireDigits,
        requireSymbols: pw.requireSymbols,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      autoVerify: { email: true },
      // Plus tier with threat protection enforced: compromised-credential detection and adaptive
      // authentication block sign-ins with leaked passwords (cost: per monthly active user).
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // MFA is a parameter; the L2 needs a literal, so the parameter is applied to the L1.
    const cfnPool = this.userPool.node.defaultChild as cognito.CfnUserPool;
    cfnPool.mfaConfiguration = props.mfaConfiguration;
    cfnPool.enabledMfas = Fn.conditionIf(props.mfaOff.logicalId, Fn.ref('AWS::NoValue'), ['SOFTWARE_TOKEN_MFA']) as unknown as string[];

    this.client = this.userPool.addClient('DesktopClient', {
      userPoolClientName: c.appClient.name,
      generateSecret: false,
      authFlows: { userSrp: true },
      // A desktop app signing in with SRP: no hosted UI, no OAuth flows, no callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(c.appClient.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(c.appClient.accessTokenValidityMinutes),
      refreshTokenValidity: Duration.days(c.appClient.refreshTokenValidityDays),
      readAttributes: attributes(c.appClient.readAttributes),
    });
    const cfnClient = this.client.node.defaultChild as cognito.CfnUserPoolClient;
    // The L2 always adds ALLOW_REFRESH_TOKEN_AUTH; pin the exact list from the config.
    cfnClient.explicitAuthFlows = [...c.appClient.authFlows];
    // Never empty (Cognito would read [] as "all standard attributes"): the one inert attribute.
    cfnClient.writeAttributes = appClientWriteAttributes();

    this.providerName = `cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.identityPool = new cognito.CfnIdentityPool(this, 'IdentityPool', {
      identityPoolName: c.identityPool.name,
      allowUnauthenticatedIdentities: c.identityPool.allowUnauthenticated,
      allowClassicFlow: false,
      cognitoIdentityProviders: [
        { clientId: this.client.userPoolClientId, providerName: this.userPool.userPoolProviderName, serverSideTokenCheck: true },
      ],
    });

    new cognito.CfnIdentityPoolPrincipalTag(this, 'PrincipalTags', {
      identityPoolId: this.identityPool.ref,
      identityProviderName: this.userPool.userPoolProviderName,
      principalTags: { ...c.identityPool.principalTags },
      useDefaults: false,
    });
  }

  /** Role attachment and the admins group; called once the roles exist (they trust this pool). */
  attachRoles(roles: { contractor: iam.IRole; admin: iam.IRole }): void {
    new cognito.CfnUserPoolGroup(this, 'AdminsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: c.userPool.groups.admins,
      description: 'VoiceVault admins: token-based role mapping gives them the admin role',
      precedence: 0,
      roleArn: roles.admin.roleArn,
    });
    new cognito.CfnIdentityPoolRoleAttachment(this, 'RoleAttachment', {
      identityPoolId: this.identityPool.ref,
      roles: { authenticated: roles.contractor.roleArn },
      roleMappings: {
        userPool: {
          identityProvider: Fn.join(':', [this.userPool.userPoolProviderName, this.client.userPoolClientId]),
          type: 'Token',
          ambiguousRoleResolution: 'AuthenticatedRole',
        },
      },
    });
  }
}

function attributes(names: readonly string[]): cognito.ClientAttributes {
  const standard: { -readonly [K in keyof cognito.StandardAttributesMask]: boolean } = {};
  const custom: string[] = [];
  for (const name of names) {
    if (name.startsWith('custom:')) custom.push(name.slice('custom:'.length));
    else if (name === 'email') standard.email = true;
    else if (name === 'email_verified') standard.emailVerified = true;
    else throw new Error(`identity: no mapping for attribute ${name}`);
  }
  return new cognito.ClientAttributes().withStandardAttributes(standard).withCustomAttributes(...custom);
}
