import "server-only";
import { isIPv4, isIPv6 } from "node:net";
import { env } from "@/lib/env";
import { connectRedis, upstashClient, withTimeout } from "@/lib/redis";
import { ApiError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { peerHeaderName } from "@/lib/peer-address";

/**
 * Request rate limits (docs/api.md: 429 with `Retry-After`). Fixed windows that start at a
 * subject's first request (not at clock minutes, so N+1 quick requests are always refused,
 * whatever the time). Counters live in Redis when it is configured, so every instance shares
 * them; in-process otherwise. A limiter that is down must never fail a request: on any Redis
 * error the in-process counters take over until Redis answers again.
 */
export type RateLimitRule = "writes" | "messages" | "auth" | "password";

const MINUTE_MS = 60_000;

/** The count including this request, and how long until its window resets. */
type Hit = { count: number; resetMs: number };
type Counter = {
  hit(key: string, windowMs: number): Promise<Hit>;
  /** Takes one count back (never below zero, never creating a window). */
  refund(key: string): Promise<void>;
};

const rules: Record<RateLimitRule, { limit: () => number; windowMs: number; message?: (seconds: number) => string }> = {
  writes: { limit: () => env().RATE_LIMIT_WRITES_PER_MINUTE, windowMs: MINUTE_MS },
  messages: { limit: () => env().RATE_LIMIT_MESSAGES_PER_MINUTE, windowMs: MINUTE_MS },
  auth: { limit: () => env().RATE_LIMIT_AUTH_PER_MINUTE, windowMs: MINUTE_MS },
  // Failed password checks per account (docs/security.md), whatever the IP: lib/auth/password-attempts.ts.
  password: {
    limit: () => env().RATE_LIMIT_PASSWORD_FAILURES,
    windowMs: 15 * MINUTE_MS,
    message: (seconds) => `Too many failed password attempts for this account. Expected available in ${seconds} seconds.`,
  },
};

/** Counts one request of `subject` (e.g. `user:42`, `ip:10.0.0.1`); throws 429 when over the limit. */
export async function enforceRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  const { limit, windowMs, message } = rules[rule];
  const { count, resetMs } = await limiter().hit(`${rule}:${subject}`, windowMs);
  if (count > limit()) {
    const seconds = Math.max(1, Math.ceil(resetMs / 1000));
    throw ApiError.rateLimited(seconds, message?.(seconds));
  }
}

/** Gives back the count of a request that turned out not to count (a correct password). */
export async function refundRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  await limiter().refund(`${rule}:${subject}`);
}

/**
 * The client's address for per-IP limits (docs/security.md). The chain is X-Forwarded-For as it
 * arrived with the socket's address appended (lib/peer-address.ts). With TRUST_PROXY_HOPS=0
 * (the default) that last entry, the socket, is the client and no forwarding header counts;
 * with N proxies in front, each appending the address it received from, the entry N places
 * from the right is. Entries a client wrote itself sit further left and are never used.
 * IPv6 clients are keyed by their /64, which one host typically holds whole.
 */
export function clientIp(headers: Pick<Headers, "get">): string {
  const stampName = peerHeaderName();
  const stamped = stampName ? headers.get(stampName) : null;
  // Not stamped (a request that arrived while the server was starting): Next's own header,
  // which holds the socket's address when the client sent none.
  const chain = (stamped ?? headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return "local";
  const hops = env().TRUST_PROXY_HOPS;
  return addressKey(chain[Math.max(0, chain.length - 1 - hops)]!);
}

/** One key per client: IPv4 as is (mapped IPv6 too), IPv6 by /64, anything else bounded. */
export function addressKey(entry: string): string {
  let address = entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address); // [2001:db8::1]:443
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":")); // 1.2.3.4:5678
  address = address.replace(/%.*$/, ""); // zone id
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1]!;
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return ipv6Prefix64(address);
  return entry.slice(0, 64); // a key, not a log line: bound what a client can make us store
}

function ipv6Prefix64(address: string): string {
  const [head = "", tail] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  let groups = headGroups;
  if (tail !== undefined) {
    const tailGroups = tail ? tail.split(":") : [];
    const tailWidth = tailGroups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
    groups = [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailWidth)).fill("0"), ...tailGroups];
  }
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(":")}::/64`;
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

  async refund(key: string): Promise<void> {
    const entry = this.windows.get(key);
    if (entry && entry.resetAt > Date.now() && entry.count > 0) entry.count -= 1;
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

/** DECR only an open window with a positive count: a plain DECR of an expired key would create one without expiry. */
const REFUND_SCRIPT =
  "local n = tonumber(redis.call('GET', KEYS[1]) or '0') if n > 0 then return redis.call('DECR', KEYS[1]) end return 0";

/**
 * SET NX PX creates the window with its expiry only if none is open; INCR counts (keeping
 * the expiry); PTTL tells when it resets. One MULTI, so concurrent instances agree.
 */
function createRedisCounter(url: string, prefix: string, timeoutMs: number): Counter {
  // The process's shared connection (lib/redis.ts); its errors are reported once by the fallback below.
  const redis = connectRedis(url, timeoutMs);
  return {
    async hit(key, windowMs) {
      await redis.bounded();
      // MULTI bypasses both the disabled offline queue and the abort signal: refuse it while
      // disconnected and bound it ourselves.
      if (!redis.ready) throw new Error("Redis is not connected.");
      const k = prefix + key;
      const [, count, pttl] = await withTimeout(
        redis.client
          .multi()
          .set(k, "0", { condition: "NX", expiration: { type: "PX", value: windowMs } })
          .incr(k)
          .pTTL(k)
          .exec(),
        timeoutMs,
      );
      return { count: Number(count), resetMs: Number(pttl) > 0 ? Number(pttl) : windowMs };
    },
    async refund(key) {
      if (!redis.ready) throw new Error("Redis is not connected.");
      await withTimeout(redis.client.eval(REFUND_SCRIPT, { keys: [prefix + key] }), timeoutMs);
    },
  };
}

function createUpstashCounter(url: string, token: string, prefix: string, timeoutMs: number): Counter {
  const redis = upstashClient(url, token, { timeoutMs, retries: 1 });
  return {
    async hit(key, windowMs) {
      const k = prefix + key;
      const [, count, pttl] = await redis.multi().set(k, 0, { nx: true, px: windowMs }).incr(k).pttl(k).exec();
      return { count: Number(count), resetMs: Number(pttl) > 0 ? Number(pttl) : windowMs };
    },
    async refund(key) {
      await redis.eval(REFUND_SCRIPT, [prefix + key], []);
    },
  };
}

/** The shared counter when it answers, else the in-process one (and a pause before retrying it). */
function withFallback(shared: Counter | undefined, local: Counter): Counter {
  let skipSharedUntil = 0;
  let lastLogged = 0;
  const sharedFailed = (error: unknown) => {
    // Don't pay a time-out on every request while Redis is away: retry it in a second.
    skipSharedUntil = Date.now() + 1_000;
    if (Date.now() - lastLogged > 30_000) {
      lastLogged = Date.now();
      logger().warn({ err: error }, "rate-limit: Redis unavailable, limiting in-process");
    }
  };
  return {
    async hit(key, windowMs) {
      if (shared && Date.now() >= skipSharedUntil) {
        try {
          return await shared.hit(key, windowMs);
        } catch (error) {
          sharedFailed(error);
        }
      }
      return local.hit(key, windowMs);
    },
    async refund(key) {
      // Both: the hit may have been counted on either side of an outage.
      await local.refund(key);
      if (shared && Date.now() >= skipSharedUntil) await shared.refund(key).catch(sharedFailed);
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
    logger().warn({ err: error }, "rate-limit: shared counters unavailable, limiting in-process");
  }
  return (holder.__ainfoRateLimiter = withFallback(shared, new MemoryCounter()));
}
