import "server-only";
import { Redis as UpstashRedis } from "@upstash/redis";
import { createClient } from "redis";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";

/**
 * Request rate limits (SPEC §5: 429 with `Retry-After`). Fixed one-minute windows that start
 * at a subject's first request (not at clock minutes, so N+1 quick requests are always
 * refused, whatever the time). Counters live in Redis when it is configured, so every
 * instance shares them; in-process otherwise. A limiter that is down must never fail a
 * request: on any Redis error the in-process counters take over until Redis answers again.
 */
export type RateLimitRule = "writes" | "messages" | "auth";

const WINDOW_MS = 60_000;

/** The count including this request, and how long until its window resets. */
type Hit = { count: number; resetMs: number };
type Counter = { hit(key: string, windowMs: number): Promise<Hit> };

const limits: Record<RateLimitRule, () => number> = {
  writes: () => env().RATE_LIMIT_WRITES_PER_MINUTE,
  messages: () => env().RATE_LIMIT_MESSAGES_PER_MINUTE,
  auth: () => env().RATE_LIMIT_AUTH_PER_MINUTE,
};

/** Counts one request of `subject` (e.g. `user:42`, `ip:10.0.0.1`); throws 429 when over the limit. */
export async function enforceRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  const { count, resetMs } = await limiter().hit(`${rule}:${subject}`, WINDOW_MS);
  if (count > limits[rule]()) throw ApiError.rateLimited(resetMs / 1000);
}

/**
 * The client's IP for per-IP limits: the first `X-Forwarded-For` entry, else `X-Real-IP`,
 * else "local". `next start` itself fills X-Forwarded-For with the socket's address when a
 * request has none. A client can put anything first in X-Forwarded-For, so in production
 * the reverse proxy in front must overwrite it; the per-user limits do not depend on it.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim() || "local";
  return ip.slice(0, 64); // a key, not a log line: bound what a client can make us store
}

// --- backends ---

/** In-process windows; the expired ones are swept as the map grows, so memory stays bounded. */
export class MemoryCounter implements Counter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async hit(key: string, windowMs: number): Promise<Hit> {
    const now = Date.now();
    let entry = this.windows.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.sweep(now);
      entry = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, resetMs: entry.resetAt - now };
  }

  private sweep(now: number) {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
    // Still full (a flood of distinct subjects): forget the oldest windows rather than grow.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/**
 * SET NX PX creates the window with its expiry only if none is open; INCR counts (keeping
 * the expiry); PTTL tells when it resets. One MULTI, so concurrent instances agree.
 */
function createRedisCounter(url: string, prefix: string, timeoutMs: number): Counter {
  // As in lib/history/redis-store.ts: fail fast while Redis is down, bounded commands.
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  client.on("error", () => undefined); // reported once by the fallback below
  const connecting = client.connect().catch(() => undefined);
  return {
    async hit(key, windowMs) {
      if (!client.isReady) await Promise.race([connecting, sleep(Math.min(timeoutMs, 500))]);
      // MULTI bypasses both the disabled offline queue and the abort signal: refuse it while
      // disconnected and bound it ourselves.
      if (!client.isReady) throw new Error("Redis is not connected.");
      const k = prefix + key;
      const [, count, pttl] = await withTimeout(
        client
          .multi()
          .set(k, "0", { condition: "NX", expiration: { type: "PX", value: windowMs } })
          .incr(k)
          .pTTL(k)
          .exec(),
        timeoutMs,
      );
      return { count: Number(count), resetMs: Number(pttl) > 0 ? Number(pttl) : windowMs };
    },
  };
}

function createUpstashCounter(url: string, token: string, prefix: string, timeoutMs: number): Counter {
  const redis = new UpstashRedis({
    url,
    token,
    enableTelemetry: false,
    retry: { retries: 1, backoff: () => 50 },
    signal: () => AbortSignal.timeout(timeoutMs),
  });
  return {
    async hit(key, windowMs) {
      const k = prefix + key;
      const [, count, pttl] = await redis.multi().set(k, 0, { nx: true, px: windowMs }).incr(k).pttl(k).exec();
      return { count: Number(count), resetMs: Number(pttl) > 0 ? Number(pttl) : windowMs };
    },
  };
}

/** The shared counter when it answers, else the in-process one (and a pause before retrying it). */
function withFallback(shared: Counter | undefined, local: Counter): Counter {
  let skipSharedUntil = 0;
  let lastLogged = 0;
  return {
    async hit(key, windowMs) {
      if (shared && Date.now() >= skipSharedUntil) {
        try {
          return await shared.hit(key, windowMs);
        } catch (error) {
          // Don't pay a time-out on every request while Redis is away: retry it in a second.
          skipSharedUntil = Date.now() + 1_000;
          if (Date.now() - lastLogged > 30_000) {
            lastLogged = Date.now();
            console.warn(`[rate-limit] Redis unavailable, limiting in-process: ${(error as Error).message}`);
          }
        }
      }
      return local.hit(key, windowMs);
    },
  };
}

// One limiter per process (globalThis: Next bundles route files separately).
const holder = globalThis as unknown as { __ainfoRateLimiter?: Counter };

function limiter(): Counter {
  if (holder.__ainfoRateLimiter) return holder.__ainfoRateLimiter;
  const config = env();
  const prefix = config.RATE_LIMIT_KEY_PREFIX;
  let shared: Counter | undefined;
  try {
    shared =
      config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN
        ? createUpstashCounter(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN, prefix, config.REDIS_TIMEOUT_MS)
        : config.REDIS_URL
          ? createRedisCounter(config.REDIS_URL, prefix, config.REDIS_TIMEOUT_MS)
          : undefined;
  } catch (error) {
    // A malformed URL must not turn every write into a 500: limit in-process instead.
    console.warn(`[rate-limit] shared counters unavailable, limiting in-process: ${(error as Error).message}`);
  }
  return (holder.__ainfoRateLimiter = withFallback(shared, new MemoryCounter()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
