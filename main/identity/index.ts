// Contractor identity: user-pool sign-in (SRP, then the challenges Cognito asks for), a session that
// refreshes its tokens and revokes them on sign-out, and identity-pool credentials that reach only
// the contractor's own prefix.
export { readIdTokenClaims } from './claims';
export { ContractorCredentials, userPoolProviderName, type IdTokenSource, type TemporaryCredentials } from './credentials';
export { cognitoError, passwordPolicyWords, type CognitoStep } from './errors';
export { confirmForgotPassword, forgotPassword } from './password-reset';
export { createIdentityServices, refreshTokenSecret, type IdentityServices } from './services';
export { UserPoolSession, tokenRefreshMarginMs, type UserPoolTokens } from './session';
export { UserPoolSignIn, defaultPasswordFlow, type PasswordFlow, type SignInProgress } from './sign-in';
export { otpauthUri } from './totp';
