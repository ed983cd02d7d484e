// Before the session: choose a microphone and let VoiceVault listen for five seconds (noise floor,
// clipping, sample rate); main analyses the PCM and answers with plain advice.
import { useEffect, useRef, useState } from 'react';
import type { MicCheckReport } from '../../../../shared/domain';
import { call, problemText } from '../../api';
import { listMicrophones } from '../../audio/capture';
import { holdAudio, releaseAudio } from '../../audio/held-audio';
import { useMicrophone } from '../../audio/useMicrophone';
import { useVoiceVault } from '../../store';
import { LevelMeter } from '../../ui/LevelMeter';
import { Problem } from '../../ui/Problem';

export const checkSeconds = 5;
/** The contract's largest PCM chunk: 10 s at 48 kHz. */
const maxCheckFrames = 480_000;

export function MicCheckScreen() {
  const deviceId = useVoiceVault((state) => state.micDeviceId);
  const setMicDevice = useVoiceVault((state) => state.setMicDevice);
  const announce = useVoiceVault((state) => state.announce);
  const go = useVoiceVault((state) => state.go);
  const { microphone, level, clipping, problem: micProblem } = useMicrophone(deviceId);
  const [devices, setDevices] = useState<{ deviceId: string; label: string }[]>([]);
  const [checking, setChecking] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState(checkSeconds);
  const [report, setReport] = useState<MicCheckReport>();
  const [problem, setProblem] = useState<string>();
  const stopListening = useRef<() => void>(undefined);

  useEffect(() => {
    if (microphone) void listMicrophones().then(setDevices, () => undefined);
  }, [microphone]);
  useEffect(() => () => stopListening.current?.(), []);

  async function check() {
    if (!microphone) return;
    setChecking(true);
    setReport(undefined);
    setProblem(undefined);
    announce(`Checking your microphone for ${checkSeconds} seconds. Say a sentence at your normal voice.`);
    const wanted = Math.min(maxCheckFrames, Math.round(checkSeconds * microphone.sampleRate));
    const pcm = holdAudio(new Float32Array(wanted));
    let filled = 0;
    await new Promise<void>((resolve) => {
      const unsubscribe = microphone.onChunk((chunk) => {
        const part = chunk.subarray(0, Math.min(chunk.length, wanted - filled));
        pcm.set(part, filled);
        filled += part.length;
        setSecondsLeft(Math.max(0, Math.ceil((wanted - filled) / microphone.sampleRate)));
        if (filled >= wanted) {
          unsubscribe();
          resolve();
        }
      });
      stopListening.current = () => {
        unsubscribe();
        resolve();
      };
    });
    try {
      if (filled < wanted) return;
      const result = await call('checkMicrophone', { sampleRate: microphone.sampleRate, pcm: pcm.slice().buffer });
      setReport(result);
      announce(result.ok ? 'Microphone check passed.' : `Microphone check: ${result.advice.join(' ')}`);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      releaseAudio([pcm]);
      setChecking(false);
      setSecondsLeft(checkSeconds);
    }
  }

  return (
    <section className="card mic-check" aria-labelledby="mic-check-title">
      <h2 id="mic-check-title">Check your microphone</h2>
      <p>Before you record, VoiceVault listens for {checkSeconds} seconds to check the noise in the room and your microphone&apos;s level. Say a sentence at your normal voice during the check.</p>
      <label>
        Microphone
        <select value={deviceId ?? ''} onChange={(e) => setMicDevice(e.target.value || undefined)} disabled={checking}>
          <option value="">System default</option>
          {devices
            .filter((device) => device.deviceId && device.deviceId !== 'default')
            .map((device) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label}
              </option>
            ))}
        </select>
      </label>
      <LevelMeter level={level} clipping={clipping} />
      <Problem text={micProblem ?? problem} />
      <div className="actions">
        <button type="button" className={report?.ok ? '' : 'tone-primary'} onClick={() => void check()} disabled={!microphone || checking}>
          {checking ? `Listening… ${secondsLeft} s` : report ? 'Check again' : `Check microphone (${checkSeconds} s)`}
        </button>
        <button type="button" className={report?.ok ? 'tone-primary' : ''} onClick={() => go('recorder')} disabled={checking || !report}>
          {report && !report.ok ? 'Record anyway' : 'Continue to recording'}
        </button>
      </div>
      {report && (
        <section aria-label="microphone check result" className={`mic-report ${report.ok ? 'pass' : 'fail'}`}>
          <p className="verdict">{report.ok ? 'Your microphone and room are fine.' : 'Your setup could be better:'}</p>
          {report.advice.length > 0 && (
            <ul>
              {report.advice.map((advice) => (
                <li key={advice}>{advice}</li>
              ))}
            </ul>
          )}
          <dl className="figures">
            <dt>Sample rate</dt>
            <dd>{(report.sampleRate / 1000).toFixed(1)} kHz</dd>
            <dt>Room noise</dt>
            <dd>{report.noiseFloorDbfs.toFixed(0)} dBFS</dd>
            <dt>Loudest moment</dt>
            <dd>{report.peakDbfs.toFixed(1)} dBFS</dd>
            <dt>Clipped</dt>
            <dd>{report.clippedPct.toFixed(2)} %</dd>
          </dl>
        </section>
      )}
    </section>
  );
}
