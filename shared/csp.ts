// The Content-Security-Policy, sent as a header by the app:// protocol and as a <meta> tag in
// the built page. No inline script or style, no eval; the renderer talks to main only over IPC.
const directives = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
];

/** Sent as the app:// response header. */
export const contentSecurityPolicy = directives.join('; ');

/** The <meta> form: browsers ignore (and warn about) frame-ancestors there, so it is left out. */
export const contentSecurityPolicyMeta = directives.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** The renderer's origin inside the app (a custom, secure, standard scheme; never file://). */
export const appScheme = 'app';
export const appHost = 'voicevault';
export const appOrigin = `${appScheme}://${appHost}`;
