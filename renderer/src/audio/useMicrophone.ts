// React's view of the open microphone: opens it while a screen needs it, meters every chunk with
// meyda, and registers its close with the store so sign-out stops it.
import { useEffect, useState } from 'react';
import { useVoiceVault } from '../store';
import { openMicrophone, microphoneProblem, type Microphone } from './capture';
import { measureLevel, type Level } from './level';

/** How long the clipping light stays on after a clipped sample. */
const clipHoldMs = 1000;

export interface MicrophoneView {
  microphone?: Microphone;
  level?: Level;
  clipping: boolean;
  problem?: string;
}

export function useMicrophone(deviceId: string | undefined, enabled = true): MicrophoneView {
  const [microphone, setMicrophone] = useState<Microphone>();
  const [level, setLevel] = useState<Level>();
  const [lastClip, setLastClip] = useState(-Infinity);
  const [now, setNow] = useState(0);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let opened: Microphone | undefined;
    let unsubscribe: (() => void) | undefined;
    openMicrophone(deviceId).then(
      (mic) => {
        if (cancelled) return void mic.close();
        opened = mic;
        setProblem(undefined);
        setMicrophone(mic);
        useVoiceVault.setState({ closeMicrophone: () => mic.close() });
        unsubscribe = mic.onChunk((chunk) => {
          const measured = measureLevel(chunk);
          const time = performance.now();
          setLevel(measured);
          setNow(time);
          if (measured.clippedSamples > 0) setLastClip(time);
        });
      },
      (error: unknown) => {
        if (!cancelled) setProblem(microphoneProblem(error));
      },
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
      if (opened) {
        void opened.close();
        useVoiceVault.setState({ closeMicrophone: undefined });
      }
      setMicrophone(undefined);
    };
  }, [deviceId, enabled]);

  return { microphone, level, clipping: now - lastClip < clipHoldMs, problem };
}
