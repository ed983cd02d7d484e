// Forgot password, with the user pool's own flow: Cognito sends a code to the recovery channel
// (the verified email, which the app client cannot change), and the code sets a new password.
import { ConfirmForgotPasswordCommand, ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoError } from './errors';
import type { IdentityServices } from './services';

/** Returns where the code went, masked by Cognito (e.g. "a***@e***"). */
export async function forgotPassword(services: IdentityServices, username: string): Promise<{ destination: string }> {
  try {
    const response = await services.userPool.send(new ForgotPasswordCommand({ ClientId: services.deployment.userPoolClientId, Username: username }));
    return { destination: response.CodeDeliveryDetails?.Destination ?? 'your recovery address' };
  } catch (error) {
    throw cognitoError(error, 'forgot-password', `reset the password of ${username}`);
  }
}

export async function confirmForgotPassword(services: IdentityServices, username: string, code: string, newPassword: string): Promise<void> {
  try {
    await services.userPool.send(
      new ConfirmForgotPasswordCommand({ ClientId: services.deployment.userPoolClientId, Username: username, ConfirmationCode: code, Password: newPassword }),
    );
  } catch (error) {
    throw cognitoError(error, 'confirm-forgot-password', `set a new password for ${username}`);
  }
}
