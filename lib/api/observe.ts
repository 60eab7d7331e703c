import { randomUUID } from "node:crypto";
import { logRequest } from "@/lib/log";
import { metrics } from "@/lib/metrics";

/**
 * What the route wrapper (handler.ts) records for every API request: its id, one log line
 * and one observation of `ainfo_http_request_duration_seconds`.
 */

/** A load balancer's `X-Request-Id` is kept when it looks like an id; otherwise a new UUID. */
const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && INCOMING_ID.test(given) ? given : randomUUID();
}

/** The response with `X-Request-Id` (copied when its headers are immutable, as a redirect's are). */
export function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set("X-Request-Id", requestId);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set("X-Request-Id", requestId);
    return copy;
  }
}

/**
 * The route's pattern (`/api/chatbot/room/[id]/logs`) from the URL and the route's params,
 * so that metrics have one series per route, whatever ids or junk paths clients send.
 */
export function routePattern(pathname: string, params: Record<string, string | string[] | undefined>): string {
  const segments = pathname.split("/").filter(Boolean);
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      const count = Math.min(value.filter(Boolean).length, segments.length);
      segments.splice(segments.length - count, count, `[...${name}]`);
    } else if (value !== undefined) {
      const index = segments.findLastIndex((segment) => decodeSegment(segment) === value);
      if (index >= 0) segments[index] = `[${name}]`;
    }
  }
  return `/${segments.join("/")}`;
}

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function recordRequest(line: { requestId: string; method: string; route: string; status: number; durationMs: number }) {
  logRequest(line);
  metrics().requestDuration.observe(
    { route: line.route, method: line.method, status: String(line.status) },
    line.durationMs / 1000,
  );
}
