import { NextResponse, type NextRequest } from "next/server";
import { guardApiRequest } from "@/lib/api/guard";

/**
 * A convenience, not the guard (SPEC §10): a visitor without a session cookie is sent to
 * sign in, and back afterwards. Every page and handler still checks the session itself.
 * Under /api/chatbot it only sees paths with a percent sign, to turn malformed encodings
 * (which Next.js would answer with a plain-text 500) into DRF's JSON 404 (lib/api/guard.ts).
 */
export function proxy(req: NextRequest) {
  if (req.nextUrl.pathname.startsWith("/api/")) return guardApiRequest(req) ?? NextResponse.next();
  const hasSession = req.cookies.getAll().some((c) => c.name.includes("next-auth.session-token"));
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: [
    "/chat",
    "/chat/:path*",
    "/settings",
    // API paths only when they contain a percent sign (lib/api/guard.ts): Next buffers the
    // body of every request that goes through the proxy, defeating the handlers' early 413.
    "/api/chatbot",
    "/api/chatbot/:path(.*%.*)",
  ],
};
