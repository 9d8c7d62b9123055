/**
 * One Content-Security-Policy for both hosts (the Electron custom protocol and the browser host):
 * only the app's own scripts and styles, no eval, no inline script, no plugins, no framing;
 * connections to the app itself and, for the browser host, its WebSocket on loopback.
 * https://www.w3.org/TR/CSP3/
 */
export const contentSecurityPolicy = (connectSrc: readonly string[] = []): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');

/** Headers sent with every response of the app's pages. */
export const securityHeaders = (connectSrc: readonly string[] = []): Record<string, string> => ({
  'Content-Security-Policy': contentSecurityPolicy(connectSrc),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), geolocation=(), microphone=(self)',
  'Cache-Control': 'no-store',
});
