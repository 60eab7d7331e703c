import "server-only";
import type { NextRequest } from "next/server";
import type { User } from "@/db/schema";
import { hasSessionCookie, userFromSessionCookies } from "@/lib/auth/session";
import { recordRequest, requestIdFrom, routePattern, withRequestId } from "@/lib/api/observe";
import { ApiError, errorResponse } from "@/lib/errors";
import { parseId } from "./request";
import { clientIp, enforceRateLimit, type RateLimitRule } from "@/lib/rate-limit";
import { addSecurityHeaders } from "@/lib/security-headers";
import { apiTokenHash, authenticateApiToken, type CallerKey } from "@/lib/tokens";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type NextHandler = (req: NextRequest, context: RouteContext) => Promise<Response>;

export type Caller = { user: User; via: "session" | "token" };

export type PublicContext = { req: NextRequest; url: URL; params: Record<string, string | undefined> };
export type AuthedContext = PublicContext & Caller;

/**
 * A GET that resolves a token's owner in its own statement (lib/rooms/rendered.ts): it gets
 * the caller's key — the user id of a session, or the hash of a bearer token, which no query
 * has looked up yet — and `user()`, which looks the caller up as `apiRoute` does (a 401 when
 * there is none) for the paths that need the whole user.
 */
export type KeyedContext = PublicContext & { caller: CallerKey; user: () => Promise<User> };
type KeyedRead = { keyed: (ctx: KeyedContext) => Promise<Response> };

/** Marks a GET handler of `apiRoute` as a KeyedContext one. */
export const keyedRead = (handler: KeyedRead["keyed"]): KeyedRead => ({ keyed: handler });

type Handler<C> = (ctx: C) => Promise<Response>;
type Handlers<C> = Partial<Record<Exclude<Method, "HEAD" | "OPTIONS">, Handler<C>>>;
type AuthedHandlers = Omit<Handlers<AuthedContext>, "GET"> & { GET?: Handler<AuthedContext> | KeyedRead };

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
  handlers: AuthedHandlers,
  options: { rateLimit?: RateLimitRule } = {},
): Record<Method, NextHandler> {
  const rule = options.rateLimit ?? "writes";
  return buildRoute(handlers, async (req, base, handler) => {
    if (typeof handler !== "function") {
      const keyed = await identify(req);
      try {
        return await handler.keyed({ ...base, ...keyed });
      } catch (error) {
        // A 401 comes before any other answer, as on every route: a keyed read may fail (a bad
        // query parameter…) before its statement has looked the token up.
        if (!(error instanceof ApiError && error.status === 401)) await keyed.user();
        throw error;
      }
    }
    const ctx = { ...base, ...(await authenticate(req)) };
    if (!SAFE_METHODS.has(req.method)) await enforceRateLimit(rule, `user:${ctx.user.id}`);
    return handler(ctx);
  });
}

export function publicApiRoute(
  handlers: Handlers<PublicContext>,
  options: { rateLimit?: RateLimitRule } = {},
): Record<Method, NextHandler> {
  const rule = options.rateLimit;
  return buildRoute(handlers, async (req, base, handler) => {
    if (rule && !SAFE_METHODS.has(req.method)) await enforceRateLimit(rule, `ip:${clientIp(req.headers)}`);
    return handler(base);
  });
}

function buildRoute<H>(
  handlers: Partial<Record<Exclude<Method, "HEAD" | "OPTIONS">, H>>,
  run: (req: NextRequest, base: PublicContext, handler: H) => Promise<Response>,
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
        return await run(req, { req, url: new URL(req.url), params }, handler);
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
  const token = bearerToken(req);
  if (token !== undefined) {
    const user = await authenticateApiToken(token);
    if (!user) throw ApiError.invalidToken();
    return { user, via: "token" };
  }
  return sessionCaller(req);
}

/** The token of `Authorization: Bearer <token>` (or DRF's `Token <token>`); undefined without one. */
function bearerToken(req: NextRequest): string | undefined {
  const header = req.headers.get("authorization");
  if (!header) return undefined;
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  if (!scheme || !["bearer", "token"].includes(scheme.toLowerCase())) return undefined;
  if (!token || rest.length > 0) {
    throw new ApiError("invalid_token", "Invalid token header. Token string should not contain spaces.", {
      headers: { "WWW-Authenticate": 'Bearer realm="api"' },
    });
  }
  return token;
}

/**
 * The caller of a KeyedRead: a bearer token's hash, looked up by the read's own statement (a
 * token that cannot be one of ours is a 401 at once), or a session's user, resolved here.
 */
async function identify(req: NextRequest): Promise<{ caller: CallerKey; user: () => Promise<User> }> {
  let resolved: Promise<User> | undefined;
  const user = () => (resolved ??= authenticate(req).then((caller) => caller.user));
  const token = bearerToken(req);
  if (token === undefined) {
    const { user: found } = await sessionCaller(req);
    resolved = Promise.resolve(found);
    return { caller: { userId: found.id }, user };
  }
  const tokenHash = apiTokenHash(token);
  if (!tokenHash) throw ApiError.invalidToken();
  return { caller: { tokenHash }, user };
}

async function sessionCaller(req: NextRequest): Promise<Caller> {
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
