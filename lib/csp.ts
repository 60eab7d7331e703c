/**
 * The pages' Content-Security-Policy (docs/security.md): scripts only with this response's nonce
 * ('strict-dynamic' lets those load the chunks they import), never 'unsafe-inline'.
 * proxy.ts makes a fresh nonce per page request and hands it to Next.js through the request's
 * own CSP header; Next puts it on every script it renders, and the root layout gives it to
 * next-themes' inline script. 'unsafe-eval' only for the dev server (React's debugging).
 * Styles keep 'unsafe-inline': React and next-themes write style attributes, and a nonce in
 * style-src would switch that off. next.config.ts sends a stricter, nonce-less policy on
 * everything else (API responses, static files).
 */
export function pageContentSecurityPolicy(options: { nonce: string; dev: boolean; oauthOrigins: string[] }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https://avatars.githubusercontent.com https://*.googleusercontent.com",
    "font-src 'self' data:",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    // Chromium applies form-action to the redirects that follow a form post (OAuth).
    `form-action 'self' ${options.oauthOrigins.join(" ")}`.trim(),
    "frame-ancestors 'none'",
  ].join("; ");
}

/** 128 random bits, base64: unguessable and new for every response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
