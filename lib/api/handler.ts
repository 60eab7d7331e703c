import "server-only";
import type { NextRequest } from "next/server";
import type { User } from "@/db/schema";
import { hasSessionCookie, userFromSessionCookies } from "@/lib/auth/session";
import { recordRequest, requestIdFrom, routePattern, withRequestId } from "@/lib/api/observe";
import { ApiError, errorResponse } from "@/lib/errors";
import { parseId } from "./request";
import { clientIp, enforceRateLimit, type RateLimitRule } from "@/lib/rate-limit";
import { addSecurityHeaders } from "@/lib/security-headers";
import { authenticateApiToken } from "@/lib/tokens";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type NextHandler = (req: NextRequest, context: RouteContext) => Promise<Response>;

export type Caller = { user: User; via: "session" | "token" };

export type PublicContext = { req: NextRequest; url: URL; params: Record<string, string | undefined> };
export type AuthedContext = PublicContext & Caller;

type Handlers<C> = Partial<Record<Exclude<Method, "HEAD" | "OPTIONS">, (ctx: C) => Promise<Response>>>;

/**
 * Builds every HTTP method export of a route file from the methods it supports. Missing
 * methods answer DRF's 405 with `Allow`; every throw becomes one DRF-shaped response.
 * `apiRoute` resolves the caller first (docs/api.md auth); `publicApiRoute` does not.
 *
 * Rate limits (lib/rate-limit.ts) apply to writes (POST/PUT/PATCH/DELETE), counted after the
 * caller is known: per user under `rateLimit` (default "writes") for `apiRoute`, per client
 * IP for `publicApiRoute` when it names a rule.
 */
export function apiRoute(
  handlers: Handlers<AuthedContext>,
  options: { rateLimit?: RateLimitRule } = {},
): Record<Method, NextHandler> {
  const rule = options.rateLimit ?? "writes";
  return buildRoute(handlers, async (req, base) => {
    const ctx = { ...base, ...(await authenticate(req)) };
    if (!SAFE_METHODS.has(req.method)) await enforceRateLimit(rule, `user:${ctx.user.id}`);
    return ctx;
  });
}

export function publicApiRoute(
  handlers: Handlers<PublicContext>,
  options: { rateLimit?: RateLimitRule } = {},
): Record<Method, NextHandler> {
  const rule = options.rateLimit;
  return buildRoute(handlers, async (req, base) => {
    if (rule && !SAFE_METHODS.has(req.method)) await enforceRateLimit(rule, `ip:${clientIp(req.headers)}`);
    return base;
  });
}

function buildRoute<C>(
  handlers: Handlers<C>,
  makeContext: (req: NextRequest, base: PublicContext) => Promise<C>,
): Record<Method, NextHandler> {
  const supported: Method[] = Object.keys(handlers) as Method[];
  if (handlers.GET) supported.push("HEAD");
  supported.push("OPTIONS");

  const handle = (method: Method): NextHandler => {
    const respond = async (req: NextRequest, context: RouteContext, requestId: string): Promise<Response> => {
      try {
        const raw = await context.params;
        const params = Object.fromEntries(
          Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
        );
        // Every named segment of the REST API is an id (`room/{id}/logs/{logId}/`): a path
        // whose segment is not one matches no resource, whatever the method (DRF's <int:…>).
        for (const [name, value] of Object.entries(params)) if (name !== "path") parseId(value);
        if (method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: supported.join(", ") } });
        const handler = method === "HEAD" ? handlers.GET : handlers[method];
        if (!handler) throw ApiError.methodNotAllowed(method, supported);
        const ctx = await makeContext(req, { req, url: new URL(req.url), params });
        return await handler(ctx);
      } catch (error) {
        return errorResponse(error, requestId);
      }
    };
    // Every request: an id (X-Request-Id), one log line, one latency observation.
    return async (req, context) => {
      const started = performance.now();
      const requestId = requestIdFrom(req.headers);
      const response = withRequestId(await respond(req, context, requestId), requestId);
      // docs/security.md: answers are per-user; unless a route says otherwise (conditional
      // GETs revalidate: lib/api/etag.ts), no browser or shared cache may keep one.
      if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "private, no-store");
      addSecurityHeaders(response.headers);
      const params = (await Promise.resolve(context?.params).catch(() => undefined)) ?? {};
      const route = routePattern(new URL(req.url).pathname, params);
      recordRequest({ requestId, method: req.method, route, status: response.status, durationMs: performance.now() - started });
      return response;
    };
  };
  return Object.fromEntries(METHODS.map((m) => [m, handle(m)])) as Record<Method, NextHandler>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The caller (docs/api.md): `Authorization: Bearer <token>` (DRF's `Token <token>` too), else
 * the next-auth session cookie. Cookie-authenticated writes from another site are refused
 * (docs/security.md: Next.js gives route handlers no CSRF protection).
 */
export async function authenticate(req: NextRequest): Promise<Caller> {
  const header = req.headers.get("authorization");
  if (header) {
    const [scheme, token, ...rest] = header.trim().split(/\s+/);
    if (scheme && ["bearer", "token"].includes(scheme.toLowerCase())) {
      if (!token || rest.length > 0) {
        throw new ApiError("invalid_token", "Invalid token header. Token string should not contain spaces.", {
          headers: { "WWW-Authenticate": 'Bearer realm="api"' },
        });
      }
      const user = await authenticateApiToken(token);
      if (!user) throw ApiError.invalidToken();
      return { user, via: "token" };
    }
  }
  if (hasSessionCookie(req.cookies)) {
    const user = await userFromSessionCookies(req.cookies);
    if (user) {
      if (!SAFE_METHODS.has(req.method)) assertSameOrigin(req);
      return { user, via: "session" };
    }
  }
  throw ApiError.unauthenticated();
}

function assertSameOrigin(req: NextRequest) {
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  const refuse = () => new ApiError("forbidden", `CSRF Failed: Origin checking failed - ${origin ?? site} does not match any trusted origins.`);
  if (site && site !== "same-origin" && site !== "none") throw refuse();
  if (origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (!host || originHost !== host) throw refuse();
  }
}

export const json = (data: unknown, init?: ResponseInit) => Response.json(data, init);
export const noContent = () => new Response(null, { status: 204 });
