// Which AWS the app talks to, unmistakably: test data must never be mistaken for the real service.
import type { AppInfo } from '../../../shared/domain';

export function EnvironmentBanner({ info }: { info: AppInfo | undefined }) {
  if (!info) return null;
  const local = info.target === 'emulator';
  return (
    <p className={`environment ${local ? 'environment-local' : 'environment-aws'}`} aria-label="connection">
      <strong>{info.environmentLabel}</strong>
      <span>{local ? ' · test data only, nothing leaves this computer' : ' · your samples are uploaded here'}</span>
      <span className="version"> · v{info.version}</span>
    </p>
  );
}
