import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { MemoryCounter, clientIp, enforceRateLimit } from "@/lib/rate-limit";

// The in-process side of lib/rate-limit.ts; the Redis side and the wiring are tested against
// real servers in tests/abuse/rate-limit.test.ts and tests/faults/two-instances.test.ts.

describe("MemoryCounter", () => {
  afterEach(() => vi.useRealTimers());

  it("counts within a window that starts at the first hit, then starts over", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const counter = new MemoryCounter();
    expect(await counter.hit("k", 60_000)).toEqual({ count: 1, resetMs: 60_000 });
    vi.advanceTimersByTime(59_000);
    expect(await counter.hit("k", 60_000)).toEqual({ count: 2, resetMs: 1_000 });
    expect(await counter.hit("other", 60_000)).toEqual({ count: 1, resetMs: 60_000 });
    vi.advanceTimersByTime(1_000);
    expect(await counter.hit("k", 60_000)).toEqual({ count: 1, resetMs: 60_000 });
  });

  it("stays bounded under a flood of distinct keys", async () => {
    const counter = new MemoryCounter(100);
    for (let i = 0; i < 10_000; i++) await counter.hit(`ip:${i}`, 60_000);
    expect((counter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
    // The newest keys are still counted.
    expect((await counter.hit("ip:9999", 60_000)).count).toBe(2);
  });
});

describe("clientIp", () => {
  const ip = (headers: Record<string, string>) => clientIp(new Headers(headers));
  it("takes the first X-Forwarded-For entry, else X-Real-IP, else 'local'", () => {
    expect(ip({ "x-forwarded-for": " 203.0.113.9 , 10.0.0.1" })).toBe("203.0.113.9");
    expect(ip({ "x-forwarded-for": "2001:db8::1" })).toBe("2001:db8::1");
    expect(ip({ "x-real-ip": "198.51.100.2" })).toBe("198.51.100.2");
    expect(ip({ "x-forwarded-for": "", "x-real-ip": "198.51.100.2" })).toBe("198.51.100.2");
    expect(ip({})).toBe("local");
  });
  it("bounds what a client can make the limiter store", () => {
    expect(ip({ "x-forwarded-for": "a".repeat(10_000) })).toHaveLength(64);
  });
});

describe("enforceRateLimit (in-process, no Redis configured)", () => {
  const saved = { ...process.env };
  beforeAll(() => {
    delete process.env.REDIS_URL;
    delete process.env.UPSTASH_REDIS_REST_URL;
    delete process.env.UPSTASH_REDIS_REST_TOKEN;
    process.env.RATE_LIMIT_MESSAGES_PER_MINUTE = "2";
    resetEnvCache();
    delete (globalThis as { __ainfoRateLimiter?: unknown }).__ainfoRateLimiter;
  });
  afterAll(() => {
    process.env = saved;
    resetEnvCache();
    delete (globalThis as { __ainfoRateLimiter?: unknown }).__ainfoRateLimiter;
  });

  it("lets the limit through, then throws DRF's 429 with Retry-After", async () => {
    await enforceRateLimit("messages", "user:1");
    await enforceRateLimit("messages", "user:1");
    const error = await enforceRateLimit("messages", "user:1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const res = (error as ApiError).toResponse();
    expect(res.status).toBe(429);
    const seconds = Number(res.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(59);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(await res.json()).toEqual({ detail: `Request was throttled. Expected available in ${seconds} seconds.` });
    // Rules and subjects have separate budgets.
    await enforceRateLimit("messages", "user:2");
    await enforceRateLimit("writes", "user:1");
  });
});
