/**
 * Where to go after signing in or out (docs/security.md): a path of this site, never another origin.
 *
 * The candidate is parsed the way a browser will read it: `new URL(raw, origin)`, relative to
 * the request's own origin. It survives only when the result is on that origin (or on one of
 * `alsoOurs`, e.g. NEXTAUTH_URL's, for absolute URLs next-auth builds itself), and what comes
 * back is always the path alone (`/chat/5?x#y`), so the browser stays on whatever host and
 * port it is using. Pattern matching is never enough: browsers drop tab/CR/LF and read `\` as
 * `/`, so `/\t/evil.example` and `/\evil.example` are `//evil.example`, another site.
 * Isomorphic: the sign-in form re-checks in the browser with `window.location.origin`.
 */
export function safeCallbackUrl(
  raw: string | null | undefined,
  origin: string,
  options: { fallback?: string; alsoOurs?: string[] } = {},
): string {
  const fallback = options.fallback ?? "/chat";
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2_000) return fallback;
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return fallback;
  }
  const ours = new Set([base.origin]);
  for (const other of options.alsoOurs ?? []) {
    try {
      ours.add(new URL(other).origin);
    } catch {
      // not a URL: adds nothing
    }
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fallback;
  if (!ours.has(url.origin) || url.username || url.password) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` normalizes to the path `//evil.example`, which as a Location is
  // another host: a path must not begin with two slashes (a backslash is already a slash).
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

/**
 * The origin the browser used for this request: `Host` (what `next start` sees; a proxy in
 * front must pass it through) with `X-Forwarded-Proto` for the scheme. Only ever used to tell
 * our own absolute URLs from others: `safeCallbackUrl` returns a path, never this origin, so a
 * forged Host cannot send anyone elsewhere.
 */
export function requestOrigin(headers: Headers): string {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return "http://localhost";
  }
}
