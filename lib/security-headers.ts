/**
 * The security headers of every response that is not a page (API answers, static files):
 * next.config.ts sends them everywhere but the REST API, whose route wrapper sets them itself
 * (lib/api/handler.ts). Pages get a stricter-still policy with a per-request nonce from
 * proxy.ts (lib/csp.ts), which replaces this one on them (docs/security.md).
 */
const isDev = process.env.NODE_ENV !== "production";

/** Content-Security-Policy: no scripts but our own files, no inline ones. */
const csp = [
  "default-src 'self'",
  `script-src 'self'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://avatars.githubusercontent.com https://*.googleusercontent.com",
  "font-src 'self' data:",
  `connect-src 'self'${isDev ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** Sets every security header the response does not have yet. */
export function addSecurityHeaders(headers: Headers) {
  for (const { key, value } of securityHeaders) if (!headers.has(key)) headers.set(key, value);
}
