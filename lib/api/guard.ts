import { NextResponse, type NextRequest } from "next/server";
import { addSecurityHeaders } from "@/lib/security-headers";

/**
 * What must be refused before Next.js routes a request under /api/chatbot, because Next
 * would answer it itself, without JSON (docs/api.md: DRF-shaped errors, never a 500):
 * - a path with malformed percent-encoding (`%ZZ`, a cut-off or overlong UTF-8 sequence):
 *   Next fails to decode the route params and answers a plain-text 500 → DRF's 404;
 * - `/api/chatbot` itself, which no route file matches: Next's HTML 404 → DRF's 404;
 * - on those paths, a method Next does not route (PROPFIND…) → DRF's 405.
 * proxy.ts sends only these paths here (those containing `%`, and `/api/chatbot`): every
 * request through the proxy has its body buffered by Next, which the API must not pay for.
 * Elsewhere a method Next does not know still gets Next's own empty 400.
 * Returns undefined when the request may go on.
 */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** docs/security.md: per-user answers, never cached (the route handlers set the same). */
const NO_STORE = { "Cache-Control": "private, no-store" };

export function guardApiRequest(req: NextRequest): NextResponse | undefined {
  const response = refusal(req);
  if (response) addSecurityHeaders(response.headers); // next.config.ts leaves them to the API
  return response;
}

function refusal(req: NextRequest): NextResponse | undefined {
  const path = req.nextUrl.pathname;
  if (!path.startsWith("/api/chatbot")) return undefined;
  if (!KNOWN_METHODS.has(req.method)) {
    return NextResponse.json(
      { detail: `Method "${req.method.slice(0, 20)}" not allowed.` },
      { status: 405, headers: { ...NO_STORE, Allow: [...KNOWN_METHODS].join(", ") } },
    );
  }
  if (path === "/api/chatbot" || path === "/api/chatbot/") return NextResponse.json({ detail: "Not found." }, { status: 404, headers: NO_STORE });
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
  } catch {
    return NextResponse.json({ detail: "Not found." }, { status: 404, headers: NO_STORE });
  }
  return undefined;
}
