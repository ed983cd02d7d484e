// TOTP enrolment: the secret Cognito hands out as an otpauth:// URI an authenticator app can scan
// (the renderer draws it as a QR code). Built by the otpauth library (MIT).
import { Secret, TOTP } from 'otpauth';

export const totpIssuer = 'VoiceVault';

/** Cognito's software tokens: SHA-1, six digits, 30-second steps. */
export function otpauthUri(secretBase32: string, username: string, issuer: string = totpIssuer): string {
  return new TOTP({ issuer, label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) }).toString();
}
