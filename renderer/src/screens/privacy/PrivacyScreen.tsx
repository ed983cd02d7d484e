import { useVoiceVault } from '../../store';
import { PrivacyPanel } from './PrivacyPanel';
import { WithdrawConsent } from './WithdrawConsent';

export function PrivacyScreen() {
  const partition = useVoiceVault((state) => state.partition);
  const accepted = useVoiceVault((state) => state.session?.consentAccepted);
  if (!partition) return null;
  return (
    <>
      <PrivacyPanel partition={partition} acceptedVersion={accepted} />
      <WithdrawConsent />
    </>
  );
}
