// The one store for state that outlives a screen: who is signed in, the partition, where the
// contractor is, the outbox view (polled while anything is in flight) and the live announcements.
import { create } from 'zustand';
import type { AppInfo, OutboxItemView, PromptProgress, SessionSummary } from '../../shared/domain';
import type { Partition } from '../../shared/partition';
import { call, problemText } from './api';
import { wipeHeldAudio } from './audio/held-audio';

export type Screen = 'sign-in' | 'consent' | 'mic-check' | 'recorder' | 'import' | 'outbox' | 'privacy';

/** Poll listOutbox this often while an item is sealed, waiting or uploading. */
export const outboxPollMs = 500;

const inFlight = (item: OutboxItemView) => item.state !== 'uploaded' && item.state !== 'failed';

interface VoiceVaultState {
  info?: AppInfo;
  session?: SessionSummary;
  partition?: Partition;
  screen: Screen;
  outbox: OutboxItemView[];
  /** Which prompts are recorded or skipped, from main (so a session resumes where it stopped). */
  progress: PromptProgress;
  micDeviceId?: string;
  /** The latest sentence for the live region; `serial` makes a repeat announce again. */
  announcement: { text: string; serial: number };
  problem?: string;
  /** Closes the open microphone (set by the audio layer), so sign-out can stop it. */
  closeMicrophone?: () => Promise<void>;

  loadInfo(): Promise<void>;
  signedIn(session: SessionSummary): Promise<void>;
  acceptConsent(version: string): Promise<void>;
  go(screen: Screen): void;
  announce(text: string): void;
  setProblem(problem?: string): void;
  refreshOutbox(): Promise<void>;
  trackOutboxItem(item: OutboxItemView): void;
  refreshProgress(): Promise<void>;
  skipped(promptId: string): void;
  setMicDevice(deviceId?: string): void;
  signOut(): Promise<void>;
}

let pollTimer: ReturnType<typeof setTimeout> | undefined;

export const useVoiceVault = create<VoiceVaultState>()((set, get) => {
  function schedulePoll(): void {
    if (pollTimer || !get().session) return;
    if (!get().outbox.some(inFlight)) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      void get().refreshOutbox();
    }, outboxPollMs);
  }

  function announceChanges(before: OutboxItemView[], after: OutboxItemView[]): void {
    const previous = new Map(before.map((item) => [item.sample, item.state]));
    for (const item of after) {
      const was = previous.get(item.sample);
      if (was === item.state || was === undefined) continue;
      if (item.state === 'uploaded') get().announce(`Upload finished: ${describeItem(get().partition, item)}. Receipt ready.`);
      if (item.state === 'failed') get().announce(`Upload failed: ${describeItem(get().partition, item)}. ${item.problem ?? ''}`.trim());
      if (item.state === 'waiting-for-network') get().announce(`Waiting for the network: ${describeItem(get().partition, item)} is kept sealed and will upload later.`);
    }
  }

  return {
    screen: 'sign-in',
    outbox: [],
    progress: { recorded: [], skipped: [] },
    announcement: { text: '', serial: 0 },

    async loadInfo() {
      try {
        set({ info: await call('getAppInfo') });
      } catch (error) {
        set({ problem: problemText(error) });
      }
    },

    async signedIn(session) {
      set({ session, problem: undefined });
      get().announce(`Signed in as ${session.username}.`);
      try {
        const partition = await call('getPartition');
        set({ partition, screen: session.consentAccepted === partition.consent.version ? 'mic-check' : 'consent' });
        await Promise.all([get().refreshOutbox(), get().refreshProgress()]);
      } catch (error) {
        set({ problem: problemText(error) });
      }
    },

    async acceptConsent(version) {
      const session = await call('acceptConsent', { version });
      set({ session, screen: 'mic-check' });
      get().announce('Consent recorded. Next: check your microphone.');
    },

    go(screen) {
      set({ screen, problem: undefined });
    },

    announce(text) {
      set((state) => ({ announcement: { text, serial: state.announcement.serial + 1 } }));
    },

    setProblem(problem) {
      set({ problem });
    },

    async refreshOutbox() {
      if (!get().session) return;
      try {
        const items = await call('listOutbox');
        const before = get().outbox;
        set({ outbox: items });
        announceChanges(before, items);
      } catch (error) {
        set({ problem: problemText(error) });
      }
      schedulePoll();
    },

    trackOutboxItem(item) {
      set((state) => ({
        outbox: [...state.outbox.filter((other) => other.sample !== item.sample), item],
        progress: item.promptId && item.state !== 'failed' ? { ...state.progress, recorded: [...state.progress.recorded, item.promptId] } : state.progress,
      }));
      schedulePoll();
    },

    async refreshProgress() {
      try {
        set({ progress: await call('getPromptProgress') });
      } catch (error) {
        set({ problem: problemText(error) });
      }
    },

    skipped(promptId) {
      set((state) => ({ progress: { ...state.progress, skipped: [...state.progress.skipped, promptId] } }));
    },

    setMicDevice(deviceId) {
      set({ micDeviceId: deviceId });
    },

    async signOut() {
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = undefined;
      const close = get().closeMicrophone;
      set({ closeMicrophone: undefined });
      await close?.().catch(() => undefined);
      // Audio held in this window is overwritten, not merely dropped.
      wipeHeldAudio();
      try {
        await call('signOut', { everywhere: false });
      } catch {
        // Signed out locally either way; main forgets the session on its side.
      }
      set({ session: undefined, partition: undefined, outbox: [], progress: { recorded: [], skipped: [] }, screen: 'sign-in', problem: undefined });
      get().announce('Signed out. Audio held in this window was erased.');
    },
  };
});

export function describeItem(partition: Partition | undefined, item: OutboxItemView): string {
  const prompt = partition?.prompts.find((p) => p.id === item.promptId);
  return prompt ? `“${prompt.text}”` : item.source;
}

/** The first prompt neither recorded (sealed, uploading or uploaded) nor skipped. */
export function nextPrompt(partition: Partition, progress: PromptProgress) {
  const done = new Set([...progress.recorded, ...progress.skipped]);
  return partition.prompts.find((prompt) => !done.has(prompt.id));
}
