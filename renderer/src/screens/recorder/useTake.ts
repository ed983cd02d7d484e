// One take through the contract: beginTake when record is pressed (the pre-roll is already
// waiting), appendTakeAudio for every chunk in order, finishTake 300 ms after stop, then submit or
// discard. The take's PCM stays here only for play-back and is zeroed when it leaves.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TakeReview } from '../../../../shared/domain';
import { call, problemText } from '../../api';
import type { Microphone } from '../../audio/capture';
import { releaseAudio } from '../../audio/held-audio';
import { playPcm, type Playback } from '../../audio/playback';
import { TakeRecorder } from '../../audio/take-recorder';
import { useVoiceVault } from '../../store';

export type TakePhase = 'ready' | 'starting' | 'recording' | 'finishing' | 'review' | 'busy';

export interface TakeState {
  phase: TakePhase;
  promptId?: string;
  review?: TakeReview;
  seconds: number;
  playing: boolean;
  listened: boolean;
  problem?: string;
}

export function useTake(microphone: Microphone | undefined, maxSeconds: number) {
  const announce = useVoiceVault((state) => state.announce);
  const trackOutboxItem = useVoiceVault((state) => state.trackOutboxItem);
  const skipped = useVoiceVault((state) => state.skipped);
  const [state, setState] = useState<TakeState>({ phase: 'ready', seconds: 0, playing: false, listened: false });
  const recorder = useRef<TakeRecorder>(undefined);
  const sample = useRef<string>(undefined);
  const pending = useRef<Float32Array[]>([]);
  const sending = useRef<Promise<unknown>>(Promise.resolve());
  const sendFailure = useRef<unknown>(undefined);
  const takeAudio = useRef<Float32Array[]>([]);
  const playback = useRef<Playback>(undefined);
  const framesSent = useRef(0);

  const update = (patch: Partial<TakeState>) => setState((current) => ({ ...current, ...patch }));

  /** Queues one chunk for main, in order; a failure is kept and reported when the take stops. */
  const transmit = useCallback((id: string, chunk: Float32Array) => {
    sending.current = sending.current.then(() =>
      call('appendTakeAudio', { sample: id, pcm: chunk.slice().buffer }).catch((error: unknown) => {
        sendFailure.current ??= error;
      }),
    );
  }, []);

  const send = useCallback(
    (chunk: Float32Array) => {
      framesSent.current += chunk.length;
      // Until beginTake answers with the sample id, chunks wait here.
      if (sample.current) transmit(sample.current, chunk);
      else pending.current.push(chunk);
    },
    [transmit],
  );

  // The recorder listens all the time the microphone is open, so the 300 ms before a press exist.
  useEffect(() => {
    if (!microphone) return;
    const takeRecorder = new TakeRecorder(microphone.sampleRate, send);
    recorder.current = takeRecorder;
    const unsubscribe = microphone.onChunk((chunk) => {
      takeRecorder.push(chunk);
      if (takeRecorder.recording) setState((current) => ({ ...current, seconds: framesSent.current / microphone.sampleRate }));
    });
    return () => {
      unsubscribe();
      takeRecorder.dispose();
      recorder.current = undefined;
    };
  }, [microphone, send]);

  const forgetAudio = useCallback(() => {
    playback.current?.stop();
    releaseAudio(takeAudio.current);
    takeAudio.current = [];
  }, []);

  // Leaving the screen (or signing out) discards an unfinished take and zeroes its audio.
  useEffect(
    () => () => {
      forgetAudio();
      if (sample.current) void call('discardTake', { sample: sample.current }).catch(() => undefined);
    },
    [forgetAudio],
  );

  const stop = useCallback(async () => {
    const takeRecorder = recorder.current;
    if (!takeRecorder || state.phase !== 'recording') return;
    update({ phase: 'finishing' });
    announce('Stopped. Checking the take…');
    takeAudio.current = await takeRecorder.stop();
    await sending.current;
    const id = sample.current;
    try {
      if (sendFailure.current) throw sendFailure.current;
      if (!id) throw new Error('no sample');
      const review = await call('finishTake', { sample: id });
      update({ phase: 'review', review });
      announce(review.verdict.pass ? 'Quality check passed. Press Enter to submit, P to play it back.' : `Quality check failed. ${review.verdict.reasons.join(' ')}`);
    } catch (error) {
      forgetAudio();
      sample.current = undefined;
      update({ phase: 'ready', problem: problemText(error) });
    }
  }, [announce, forgetAudio, state.phase]);

  const discard = useCallback(async (quiet = false) => {
    const id = sample.current;
    forgetAudio();
    sample.current = undefined;
    update({ phase: 'ready', review: undefined, listened: false, playing: false, seconds: 0 });
    if (id) await call('discardTake', { sample: id }).catch(() => undefined);
    if (!quiet) announce('Take discarded.');
  }, [announce, forgetAudio]);

  const record = useCallback(
    async (promptId: string) => {
      const takeRecorder = recorder.current;
      if (!takeRecorder || !microphone) return;
      if (state.phase === 'review') await discard(true);
      else if (state.phase !== 'ready') return;
      // Start at once so the pre-roll is the 300 ms before this press; chunks wait for the sample id.
      pending.current = [];
      sendFailure.current = undefined;
      framesSent.current = 0;
      sample.current = undefined;
      takeRecorder.start();
      update({ phase: 'starting', promptId, review: undefined, listened: false, seconds: 0, problem: undefined });
      try {
        const { sample: id } = await call('beginTake', { promptId, sampleRate: microphone.sampleRate });
        sample.current = id;
        const waiting = pending.current;
        pending.current = [];
        for (const chunk of waiting) transmit(id, chunk);
        update({ phase: 'recording' });
        announce('Recording. Press R or Space to stop.');
      } catch (error) {
        await takeRecorder.stop();
        forgetAudio();
        update({ phase: 'ready', problem: problemText(error) });
      }
    },
    [announce, discard, forgetAudio, microphone, state.phase, transmit],
  );

  // A take longer than the partition allows is stopped for the contractor.
  useEffect(() => {
    if (state.phase === 'recording' && state.seconds > maxSeconds + 1) void stop();
  }, [maxSeconds, state.phase, state.seconds, stop]);

  const play = useCallback(() => {
    if (!microphone || state.phase !== 'review' || takeAudio.current.length === 0) return;
    if (playback.current && state.playing) {
      playback.current.stop();
      return;
    }
    const current = playPcm(takeAudio.current, microphone.sampleRate);
    playback.current = current;
    update({ playing: true });
    announce('Playing the take back.');
    void current.done.then(() => {
      playback.current = undefined;
      update({ playing: false, listened: true });
    });
  }, [announce, microphone, state.phase, state.playing]);

  const submit = useCallback(async () => {
    const id = sample.current;
    if (!id || state.phase !== 'review') return;
    update({ phase: 'busy' });
    try {
      const item = await call('submitTake', { sample: id });
      sample.current = undefined;
      forgetAudio();
      trackOutboxItem(item);
      update({ phase: 'ready', review: undefined, listened: false, seconds: 0 });
      announce('Submitted. The take is sealed and queued for upload.');
    } catch (error) {
      update({ phase: 'review', problem: problemText(error) });
    }
  }, [announce, forgetAudio, state.phase, trackOutboxItem]);

  const skip = useCallback(
    async (promptId: string, reason: string) => {
      if (sample.current) await discard(true);
      try {
        await call('skipPrompt', { promptId, reason });
        skipped(promptId);
        update({ problem: undefined });
        announce('Prompt skipped and reported. Thank you.');
      } catch (error) {
        update({ problem: problemText(error) });
      }
    },
    [announce, discard, skipped],
  );

  return { state, record, stop, play, discard, submit, skip, clearProblem: () => update({ problem: undefined }) };
}
