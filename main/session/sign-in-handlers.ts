// The sign-in group of contract handlers: each step of the user-pool sign-in, forgot password, the
// session summary and sign-out. Tokens stay in main-process memory (the refresh token in the secret
// store); the renderer only ever sees a SignInStep or a SessionSummary.
import type { SessionSummary, SignInStep } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { IpcHandlers } from '../../shared/ipc-contract';
import { environmentLabel } from '../aws/trusted-deployment';
import { UserPoolSession, UserPoolSignIn, confirmForgotPassword, createIdentityServices, forgotPassword, type IdentityServices, type PasswordFlow, type SignInProgress } from '../identity';
import type { ActiveSession, SessionContext } from './context';

export type SignInMethod =
  | 'getAppInfo'
  | 'signIn'
  | 'completeNewPassword'
  | 'verifyMfaSetup'
  | 'submitMfaCode'
  | 'forgotPassword'
  | 'confirmForgotPassword'
  | 'getSession'
  | 'signOut';

export interface SignInHandlerOptions {
  /** Built from the context when absent; tests pass their own to watch the wire. */
  identity?: IdentityServices;
  /** Tests force SRP on the emulator, whose client also allows USER_PASSWORD_AUTH. */
  passwordFlow?: PasswordFlow;
  /** The consent version this contractor accepted on this device (the take handlers' ledger knows). */
  consentAccepted?: (session: ActiveSession) => Promise<string | undefined>;
}

export function createSignInHandlers(context: SessionContext, options: SignInHandlerOptions = {}): Pick<IpcHandlers, SignInMethod> {
  const identity = options.identity ?? createIdentityServices({ deployment: context.deployment, secretStore: context.secretStore, now: context.now });
  /** The sign-in in progress, between its steps. */
  let flow: UserPoolSignIn | undefined;
  /** Whether the refresh token kept from the last run has been tried (offline, it is tried again). */
  let resumeSettled = false;

  const summary = async (session: ActiveSession): Promise<SessionSummary> => {
    const { claims } = session;
    const consentAccepted = await options.consentAccepted?.(session);
    return {
      username: claims.username,
      partition: claims.partition ?? '',
      isAdmin: claims.groups.includes('admins'),
      ...(consentAccepted ? { consentAccepted } : {}),
    };
  };

  /** Tokens in hand: a contractor must belong to a partition before anything else happens. */
  const establish = async (progress: SignInProgress): Promise<SignInStep> => {
    if (progress.step !== 'tokens') return progress;
    flow = undefined;
    // The previous user's sign-out forgets the stored refresh token, so it must come first.
    if (context.session) await context.end(false);
    const session = await UserPoolSession.start(identity, progress.tokens);
    const { claims } = session;
    if (!claims.partition && !claims.groups.includes('admins')) {
      await session.signOut(false);
      throw new VoiceVaultError('AccessDenied', `${claims.username} is not assigned to a partition yet. Please ask your admin to assign one.`);
    }
    // Fail at sign-in, not at the first upload, if the identity pool will not vend credentials,
    // and leave no refresh token behind for a session that never began.
    try {
      await session.credentials();
    } catch (error) {
      await session.signOut(false).catch(() => undefined);
      throw error;
    }
    await context.begin(session);
    return { step: 'signedIn', session: await summary(session) };
  };

  const inProgress = (): UserPoolSignIn => {
    if (!flow) throw new VoiceVaultError('SessionExpired', 'No sign-in is in progress. Please start again.');
    return flow;
  };

  return {
    getAppInfo: async () => ({
      version: context.appVersion,
      target: context.deployment.target,
      region: context.deployment.region,
      environmentLabel: environmentLabel(context.deployment),
    }),

    signIn: async ({ username, password }) => {
      flow = new UserPoolSignIn(identity);
      return establish(await flow.start(username, password, options.passwordFlow));
    },
    completeNewPassword: async ({ newPassword }) => establish(await inProgress().completeNewPassword(newPassword)),
    verifyMfaSetup: async ({ code }) => establish(await inProgress().verifyMfaSetup(code)),
    submitMfaCode: async ({ code }) => establish(await inProgress().submitMfaCode(code)),

    forgotPassword: async ({ username }) => forgotPassword(identity, username),
    confirmForgotPassword: async ({ username, code, newPassword }) => {
      await confirmForgotPassword(identity, username, code, newPassword);
      return { reset: true as const };
    },

    getSession: async () => {
      // After a restart, a refresh token kept from the last run signs the contractor back in.
      if (!context.session && !resumeSettled) {
        const session = await UserPoolSession.resume(identity);
        resumeSettled = true;
        if (session) await context.begin(session);
      }
      return context.session ? summary(context.session) : null;
    },

    signOut: async (request) => {
      flow = undefined;
      await context.end(request?.everywhere ?? false);
      return { signedOut: true as const };
    },
  };
}
