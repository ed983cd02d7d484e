// What VoiceVault stores about a contractor, in plain words, from the partition's own settings.
import { citedIntelligibility, citedStoi } from '../../../../shared/intelligibility';
import type { Partition } from '../../../../shared/partition';

// Measured, not asserted: STOI of speech rebuilt from each tier (1 is the original recording).
const scale = `on an intelligibility scale where your recording scores 1 and plain noise ${citedStoi(citedIntelligibility.stoi_noise)}`;

const tierWords: Record<Partition['featureTier'], string> = {
  'log-mel':
    `detailed sound pictures of your voice (log-mel spectrograms), frame by frame. Speech rebuilt from them with a simple method scored ${citedStoi(citedIntelligibility.stoi_logmel)} ${scale} in our tests, and better methods exist, so they are protected exactly like recordings.`,
  mfcc: `compact voice measurements (MFCCs), frame by frame. They lose the pitch of your voice but not your words: speech rebuilt from them with a simple method scored ${citedStoi(citedIntelligibility.stoi_mfcc)} ${scale} in our tests, so they are protected exactly like recordings.`,
  summary: 'only overall statistics of each recording (averages of simple measurements). Your voice cannot be rebuilt from these.',
};

export function PrivacyPanel({ partition, acceptedVersion }: { partition: Partition; acceptedVersion?: string | undefined }) {
  return (
    <section className="card privacy" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Your privacy in {partition.name}</h2>
      <h3>What is stored</h3>
      <ul>
        <li>For each sample: {tierWords[partition.featureTier]}</li>
        {partition.keepRaw ? (
          <li>
            Your recording itself is kept, encrypted. It moves to archive storage after {partition.rawGlacierDays} days and is deleted after {partition.rawExpireDays} days.
          </li>
        ) : (
          <li>Your recording itself is not kept: it is erased from memory once the features are made.</li>
        )}
        <li>A record of each sample: the prompt, the quality figures, when it was made and the consent version you accepted.</li>
      </ul>
      <h3>What is not stored</h3>
      <ul>
        <li>Nothing is stored or sent unencrypted. Audio never touches this computer&apos;s disk; only sealed (encrypted) files wait here for upload.</li>
        <li>Your name and e-mail are not part of the samples: they carry only an anonymous id.</li>
      </ul>
      <h3>Who can read it</h3>
      <ul>
        <li>The training pipeline, through a separate role, can decrypt the features and sample records to train speech models.</li>
        <li>Admins cannot decrypt anything. They see only file names, sizes and dates, and can erase your samples.</li>
        <li>
          {partition.keepRaw
            ? 'Your recordings can be opened only through a separate emergency role that is not used in daily work.'
            : 'No one can listen to your recordings: they are not kept.'}
        </li>
        <li>You cannot read samples back either, even your own: your sign-in can only add new ones.</li>
      </ul>
      <p className="small">
        How the encryption works:{' '}
        <a href="https://docs.aws.amazon.com/kms/latest/developerguide/overview.html" target="_blank" rel="noreferrer">
          AWS Key Management Service
        </a>{' '}
        and the{' '}
        <a href="https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/introduction.html" target="_blank" rel="noreferrer">
          AWS Encryption SDK
        </a>
        .
      </p>
      <h3>Consent (version {partition.consent.version})</h3>
      <blockquote className="consent-text">{partition.consent.text}</blockquote>
      {acceptedVersion === partition.consent.version && <p className="notice">You accepted this version on this device.</p>}
    </section>
  );
}
