// One polite live region for the whole window: recording state, upload results, sign-in steps.
import { useVoiceVault } from '../store';

export function LiveRegion() {
  const announcement = useVoiceVault((state) => state.announcement);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
      {/* The serial re-keys the node, so the same sentence twice is announced twice. */}
      <span key={announcement.serial}>{announcement.text}</span>
    </div>
  );
}
