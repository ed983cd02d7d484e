// The only way VoiceVault opens a URL outside the app (cf. Bitwarden's SafeShell): `shell.openExternal`
// hands a URL to the operating system, which may run any registered handler, so only https links to
// pages the app itself links to are passed on. Everything else is dropped.
import type { Shell } from 'electron';

/** Origins and path prefixes the privacy panel links to (what KMS and the Encryption SDK are). */
export const externalLinkAllowList: readonly string[] = [
  'https://docs.aws.amazon.com/kms/',
  'https://docs.aws.amazon.com/encryption-sdk/',
];

export function isAllowedExternalUrl(url: string, allowList: readonly string[] = externalLinkAllowList): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // No credentials, no ports, https only: compare the normalised form against the prefixes.
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const normalised = parsed.href;
  return allowList.some((prefix) => normalised.startsWith(prefix));
}

export function createSafeShell(shell: Pick<Shell, 'openExternal'>, allowList: readonly string[] = externalLinkAllowList) {
  return {
    /** Opens the URL in the user's browser if it is allow-listed; returns whether it did. */
    openExternal(url: string): boolean {
      if (!isAllowedExternalUrl(url, allowList)) return false;
      void shell.openExternal(url).catch(() => undefined);
      return true;
    },
  };
}
