// The live input level and the clipping light. The light stays on for a second after a clipped
// sample so it can be seen.
import type { Level } from '../audio/level';

export function LevelMeter({ level, clipping }: { level: Level | undefined; clipping: boolean }) {
  const rms = level?.rmsDbfs ?? -90;
  return (
    <div className="level">
      <label className="level-label">
        Input level
        <meter min={-60} max={0} low={-40} high={-6} optimum={-18} value={Math.max(-60, rms)} aria-valuetext={`${Math.round(rms)} dB`} />
      </label>
      <span className="level-value" aria-hidden="true">
        {Math.round(rms)} dBFS
      </span>
      <span className={`clip-light ${clipping ? 'on' : ''}`} role="img" aria-label={clipping ? 'Clipping: too loud' : 'No clipping'}>
        {clipping ? 'Clipping' : 'No clipping'}
      </span>
    </div>
  );
}
