import { NextResponse, type NextRequest } from "next/server";
import { guardApiRequest } from "@/lib/api/guard";
import { newNonce, pageContentSecurityPolicy } from "@/lib/csp";
import { env } from "@/lib/env";

/**
 * Runs before every page (and a few API paths):
 * - pages get a Content-Security-Policy with a fresh nonce (lib/csp.ts, docs/security.md);
 * - a visitor without a session cookie is sent to sign in, and back afterwards. A
 *   convenience, not the guard: every page and handler still checks the session itself.
 * Under /api/chatbot it only sees paths with a percent sign, to turn malformed encodings
 * (which Next.js would answer with a plain-text 500) into DRF's JSON 404 (lib/api/guard.ts).
 * A page path with such an encoding (`/s/%E0%A4%A`: Next cannot decode the dynamic segment)
 * gets the app's own 404 page instead.
 */
export function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  if (path.startsWith("/api/chatbot")) return guardApiRequest(req) ?? NextResponse.next();

  if (needsSession(path) && !req.cookies.getAll().some((c) => c.name.includes("next-auth.session-token"))) {
    const url = req.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
    return NextResponse.redirect(url);
  }

  const config = env();
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy({
    nonce,
    dev: config.NODE_ENV === "development",
    oauthOrigins: [new URL(config.GITHUB_URL).origin, "https://accounts.google.com"],
  });
  // Next.js reads the nonce for its own scripts from the request's CSP header; the root
  // layout reads `x-nonce` for next-themes' inline script.
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", policy);
  headers.set("x-nonce", nonce);
  const res = decodable(path)
    ? NextResponse.next({ request: { headers } })
    : NextResponse.rewrite(new URL("/_not-found", req.url), { request: { headers } });
  res.headers.set("content-security-policy", policy);
  return res;
}

function decodable(path: string) {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const needsSession = (path: string) => path === "/chat" || path.startsWith("/chat/") || path === "/settings";

export const config = {
  matcher: [
    // Every page: all paths except the API, Next's static files and the icon.
    "/((?!api/|api$|_next/|favicon\\.ico$|icon\\.svg$).*)",
    "/api/docs",
    // API paths only when they contain a percent sign (lib/api/guard.ts): Next buffers the
    // body of every request that goes through the proxy, defeating the handlers' early 413.
    "/api/chatbot",
    "/api/chatbot/:path(.*%.*)",
  ],
};
