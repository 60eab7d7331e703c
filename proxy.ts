import { NextResponse, type NextRequest } from "next/server";

/**
 * A convenience, not the guard (SPEC §10): a visitor without a session cookie is sent to
 * sign in, and back afterwards. Every page and handler still checks the session itself.
 */
export function proxy(req: NextRequest) {
  const hasSession = req.cookies.getAll().some((c) => c.name.includes("next-auth.session-token"));
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/chat", "/chat/:path*", "/settings"] };
