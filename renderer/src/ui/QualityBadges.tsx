// Quality badges for a take: one per requirement, with the reason for each failure in words.
import type { TakeReview } from '../../../shared/domain';
import type { AudioRequirements } from '../../../shared/partition';

interface Badge {
  name: string;
  value: string;
  pass: boolean;
}

export function qualityBadges(review: TakeReview, requirements: AudioRequirements): Badge[] {
  const q = review.quality;
  return [
    { name: 'Length', value: `${q.durationSeconds.toFixed(1)} s`, pass: q.durationSeconds >= requirements.minSeconds && q.durationSeconds <= requirements.maxSeconds },
    { name: 'Loudness', value: `${q.speechDbfs.toFixed(0)} dBFS`, pass: q.speechDbfs >= requirements.minSpeechDbfs },
    { name: 'Noise', value: `SNR ${q.snrDb.toFixed(0)} dB`, pass: q.snrDb >= requirements.minSnrDb },
    { name: 'Clipping', value: `${q.clippedPct.toFixed(2)} %`, pass: q.clippedPct <= requirements.maxClippedPct },
    { name: 'Silence', value: `${q.silencePct.toFixed(0)} %`, pass: q.silencePct <= requirements.maxSilencePct },
  ];
}

export function QualityBadges({ review, requirements }: { review: TakeReview; requirements: AudioRequirements }) {
  return (
    <section className="quality" aria-label="quality">
      <p className={`verdict ${review.verdict.pass ? 'pass' : 'fail'}`}>{review.verdict.pass ? 'Quality check passed' : 'Quality check failed'}</p>
      <ul className="badges">
        {qualityBadges(review, requirements).map((badge) => (
          <li key={badge.name} className={`badge ${badge.pass ? 'pass' : 'fail'}`}>
            <span className="badge-mark" aria-hidden="true">
              {badge.pass ? '✓' : '✗'}
            </span>{' '}
            {badge.name}: {badge.value}
            <span className="visually-hidden">{badge.pass ? ', fine' : ', not within the requirement'}</span>
          </li>
        ))}
      </ul>
      {review.verdict.reasons.length > 0 && (
        <ul className="reasons" aria-label="why the take failed">
          {review.verdict.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
