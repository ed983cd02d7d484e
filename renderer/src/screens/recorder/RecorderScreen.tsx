// The recorder: the prompt in large type, the live level, and record / stop / play back /
// re-record / discard / submit / skip, each with its key shown on the button.
import { useEffect, useEffectEvent, useRef, useState, type FormEvent } from 'react';
import { useMicrophone } from '../../audio/useMicrophone';
import { nextPrompt, useVoiceVault } from '../../store';
import { KeyButton } from '../../ui/KeyButton';
import { LevelMeter } from '../../ui/LevelMeter';
import { MelPicture } from '../../ui/MelPicture';
import { Problem } from '../../ui/Problem';
import { QualityBadges } from '../../ui/QualityBadges';
import { useTake } from './useTake';

/** Keys typed into a field or a focused button belong to it, not to the recorder. */
function ownedByFocus(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.closest('input, textarea, select, [contenteditable="true"], dialog, .skip-form')) return true;
  return (event.key === ' ' || event.key === 'Enter') && target.closest('button, a, summary') !== null;
}

export function RecorderScreen() {
  const partition = useVoiceVault((state) => state.partition)!;
  const progress = useVoiceVault((state) => state.progress);
  const deviceId = useVoiceVault((state) => state.micDeviceId);
  const go = useVoiceVault((state) => state.go);
  const { microphone, level, clipping, problem: micProblem } = useMicrophone(deviceId);
  const take = useTake(microphone, partition.requirements.maxSeconds);
  const { state } = take;
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const reasonField = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Arriving here (from the navigation or the mic check), focus leaves the button that brought the
  // contractor, so Enter and Space act on the take, and a screen reader reads the prompt.
  useEffect(() => heading.current?.focus(), []);

  const upcoming = nextPrompt(partition, progress);
  // While a take is open its prompt stays on screen, even if the outbox moves on.
  const prompt = state.phase === 'ready' ? upcoming : (partition.prompts.find((p) => p.id === state.promptId) ?? upcoming);
  const index = prompt ? partition.prompts.indexOf(prompt) + 1 : partition.prompts.length;
  const mustListen = partition.listenBeforeSubmit === true && !state.listened;
  const canSubmit = state.phase === 'review' && state.review?.verdict.pass === true && !mustListen;

  const primary = () => {
    if (!prompt) return;
    if (state.phase === 'recording') void take.stop();
    else if (state.phase === 'ready' || state.phase === 'review') void take.record(prompt.id);
  };
  const discard = () => {
    if (skipping) setSkipping(false);
    else if (state.phase === 'review') void take.discard();
  };
  const submit = () => {
    if (canSubmit) void take.submit();
  };
  const skip = () => {
    if (prompt && (state.phase === 'ready' || state.phase === 'review')) setSkipping(true);
  };
  const play = () => take.play();

  // The shortcuts call the latest actions without re-subscribing on every render.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape' && skipping) {
      event.preventDefault();
      setSkipping(false);
      return;
    }
    if (ownedByFocus(event)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const action = ({ r: primary, ' ': primary, Escape: discard, Enter: submit, s: skip, p: play } as Record<string, () => void>)[key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  useEffect(() => {
    if (skipping) reasonField.current?.focus();
  }, [skipping]);

  async function confirmSkip(event: FormEvent) {
    event.preventDefault();
    if (!prompt || !reason.trim()) return;
    await take.skip(prompt.id, reason.trim());
    setReason('');
    setSkipping(false);
  }

  if (!prompt) {
    return (
      <section className="card recorder" aria-labelledby="recorder-title">
        <h2 id="recorder-title">All prompts are done</h2>
        <p>Thank you. Every prompt of {partition.name} is recorded or skipped. Your uploads are in the outbox.</p>
        <button type="button" className="tone-primary" onClick={() => go('outbox')}>
          Open the outbox
        </button>
      </section>
    );
  }

  const recording = state.phase === 'recording' || state.phase === 'starting';
  return (
    <section className={`card recorder ${recording ? 'is-recording' : ''}`} aria-labelledby="recorder-title">
      <h2 id="recorder-title" ref={heading} tabIndex={-1}>
        Prompt {index} of {partition.prompts.length}
      </h2>
      <p className="prompt-text" lang="en">
        {prompt.text}
      </p>
      <div className="recorder-status">
        <span className={`rec-dot ${recording ? 'on' : ''}`} aria-hidden="true" />
        <span>{statusText(state.phase, state.seconds)}</span>
      </div>
      <LevelMeter level={level} clipping={clipping} />
      <Problem text={micProblem ?? state.problem} />
      <div className="actions recorder-actions">
        <KeyButton
          label={state.phase === 'recording' ? 'Stop' : state.phase === 'review' ? 'Re-record' : 'Record'}
          keys={['R', 'Space']}
          tone={state.phase === 'review' ? 'plain' : 'primary'}
          onClick={primary}
          disabled={!microphone || state.phase === 'starting' || state.phase === 'finishing' || state.phase === 'busy'}
        />
        <KeyButton label={state.playing ? 'Stop playing' : 'Play back'} keys={['P']} onClick={play} disabled={state.phase !== 'review'} />
        <KeyButton label="Discard" keys={['Esc']} tone="danger" onClick={discard} disabled={state.phase !== 'review'} />
        <KeyButton label="Submit" keys={['Enter']} tone={canSubmit ? 'primary' : 'plain'} onClick={submit} disabled={!canSubmit} />
        <KeyButton label="Skip and report" keys={['S']} onClick={skip} disabled={state.phase !== 'ready' && state.phase !== 'review'} />
      </div>
      {skipping && (
        <form className="skip-form" aria-label="Skip and report this prompt" onSubmit={(event) => void confirmSkip(event)}>
          <label>
            Why skip this prompt? (for example: hard to read, offensive, a mistake in the text)
            <textarea ref={reasonField} value={reason} maxLength={500} required onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="actions">
            <button type="submit" className="tone-primary" disabled={!reason.trim()}>
              Skip and report
            </button>
            <button type="button" onClick={() => setSkipping(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {state.phase === 'review' && state.review && (
        <div className="review">
          <QualityBadges review={state.review} requirements={partition.requirements} />
          <MelPicture preview={state.review.melPreview} />
          {mustListen && state.review.verdict.pass && <p className="notice">This partition asks you to listen to each take before you submit it. Press P.</p>}
          {!state.review.verdict.pass && <p className="notice">This take cannot be submitted. Re-record it (R) or discard it (Esc).</p>}
        </div>
      )}
    </section>
  );
}

function statusText(phase: string, seconds: number): string {
  switch (phase) {
    case 'starting':
    case 'recording':
      return `Recording… ${seconds.toFixed(1)} s`;
    case 'finishing':
      return 'Checking the take…';
    case 'review':
      return 'Take ready for review';
    case 'busy':
      return 'Sealing…';
    default:
      return 'Ready. Press R or Space to record.';
  }
}
