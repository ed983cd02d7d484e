// What every group of contract handlers shares: the deployment, the clock, where local state lives,
// the secret store, and the one signed-in session (tokens and credentials stay in main-process memory;
// the renderer only ever sees a SessionSummary).
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { VoiceVaultError } from '../../shared/errors';
import type { Deployment } from '../aws/deployment';
import type { SecretStore } from '../secrets';

export interface SessionClaims {
  /** The user-pool `sub`: the contractor id in every object key and encryption context. */
  sub: string;
  username: string;
  partition?: string;
  groups: string[];
}

/** A signed-in user as the pipeline needs them. main/identity builds it; nothing else does. */
export interface ActiveSession {
  claims: SessionClaims;
  /** Scoped, refreshed identity-pool credentials (never written to disk). */
  credentials: AwsCredentialIdentityProvider;
  /** Called when AWS says the credentials expired, so the next call fetches fresh ones. */
  invalidateCredentials(): void;
  /** Revokes tokens (and with `everywhere`, signs out every device) and forgets every secret. */
  signOut(everywhere: boolean): Promise<void>;
}

export interface SessionContextOptions {
  deployment: Deployment;
  appVersion: string;
  secretStore: SecretStore;
  /** Where the outbox, the audit log and receipts live (never plaintext audio). */
  dataDir: string;
  now?: () => number;
}

export class SessionContext {
  readonly deployment: Deployment;
  readonly appVersion: string;
  readonly secretStore: SecretStore;
  readonly dataDir: string;
  readonly now: () => number;
  private active: ActiveSession | undefined;
  private readonly signOutListeners: (() => void | Promise<void>)[] = [];

  constructor(options: SessionContextOptions) {
    this.deployment = options.deployment;
    this.appVersion = options.appVersion;
    this.secretStore = options.secretStore;
    this.dataDir = options.dataDir;
    this.now = options.now ?? Date.now;
  }

  get session(): ActiveSession | undefined {
    return this.active;
  }

  requireSession(): ActiveSession {
    if (!this.active) throw new VoiceVaultError('SessionExpired', 'You are signed out. Please sign in.');
    return this.active;
  }

  requireAdmin(): ActiveSession {
    const session = this.requireSession();
    if (!session.claims.groups.includes('admins')) throw new VoiceVaultError('AccessDenied', 'Only admins may do this.');
    return session;
  }

  async begin(session: ActiveSession): Promise<void> {
    if (this.active) await this.end(false);
    this.active = session;
  }

  /** Ends the session: listeners wipe what they hold (takes in memory), then tokens are revoked. */
  async end(everywhere: boolean): Promise<void> {
    const session = this.active;
    this.active = undefined;
    for (const listener of this.signOutListeners) await listener();
    await session?.signOut(everywhere);
  }

  onSignOut(listener: () => void | Promise<void>): void {
    this.signOutListeners.push(listener);
  }
}
