import type { Partition } from '../../shared/partition';

const tierDescriptions: Record<Partition['featureTier'], string> = {
  'log-mel': 'Frame-level log-mel spectrograms. These can be turned back into speech by a vocoder, so they are sealed like audio.',
  mfcc: 'Frame-level MFCCs. These are partly invertible to speech, so they are sealed like audio.',
  summary: 'Utterance-level statistics of low-identity descriptors only.',
};

export function PartitionView({ partition }: { partition: Partition }) {
  const r = partition.requirements;
  return (
    <article aria-label="partition" className="partition">
      <h2>{partition.name}</h2>
      <p>
        <strong>What is stored:</strong> {partition.keepRaw ? 'your recording and ' : 'no recording, only '}features ({partition.featureTier}).{' '}
        {tierDescriptions[partition.featureTier]}
      </p>
      <p>
        <strong>Audio requirements:</strong> {r.minSeconds}–{r.maxSeconds} s, speech at least {r.minSpeechDbfs} dBFS, SNR at least {r.minSnrDb} dB.
      </p>
      <h3>Prompts</h3>
      <ol className="prompts">
        {partition.prompts.map((prompt) => (
          <li key={prompt.id}>{prompt.text}</li>
        ))}
      </ol>
      <h3>Consent (version {partition.consent.version})</h3>
      <p className="consent">{partition.consent.text}</p>
    </article>
  );
}
