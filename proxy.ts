import { NextResponse, type NextRequest } from "next/server";
import { guardApiRequest } from "@/lib/api/guard";

/**
 * A convenience, not the guard (SPEC §10): a visitor without a session cookie is sent to
 * sign in, and back afterwards. Every page and handler still checks the session itself.
 * Under /api/chatbot it only turns requests Next.js would answer without JSON (malformed
 * percent-encoding, unknown methods) into DRF-shaped errors (lib/api/guard.ts).
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

export const config = { matcher: ["/api/chatbot", "/api/chatbot/:path*", "/chat", "/chat/:path*", "/settings"] };
