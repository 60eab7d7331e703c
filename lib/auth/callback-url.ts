/** Where to go after signing in: a path on this site only, never another origin. */
export function safeCallbackUrl(raw: string | undefined, fallback = "/chat") {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  return raw;
}
