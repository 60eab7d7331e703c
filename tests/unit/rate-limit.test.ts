import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Semaphore } from "@/lib/auth/password";
import { resetEnvCache } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { peerHeaderName, stampPeerAddresses } from "@/lib/peer-address";
import { MemoryCounter, addressKey, clientIp, enforceRateLimit, refundRateLimit } from "@/lib/rate-limit";
import { startFakeUpstash, type FakeUpstash } from "../support/fake-upstash";

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

describe("MemoryCounter.refund", () => {
  it("takes one count back within the window, never below zero, never opening a window", async () => {
    const counter = new MemoryCounter();
    await counter.hit("k", 60_000);
    await counter.hit("k", 60_000);
    await counter.refund("k");
    expect((await counter.hit("k", 60_000)).count).toBe(2);
    await counter.refund("k");
    await counter.refund("k");
    await counter.refund("k");
    expect((await counter.hit("k", 60_000)).count).toBe(1);
    await counter.refund("never-hit");
    expect((counter as unknown as { windows: Map<string, unknown> }).windows.has("never-hit")).toBe(false);
  });
});

describe("clientIp", () => {
  const saved = { ...process.env };
  const withHops = (hops: number | undefined) => {
    if (hops === undefined) delete process.env.TRUST_PROXY_HOPS;
    else process.env.TRUST_PROXY_HOPS = String(hops);
    resetEnvCache();
  };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  const ip = (headers: Record<string, string>) => clientIp(new Headers(headers));

  it("by default (0 hops) takes the last entry, which `next start` fills from the socket when a client sends none", () => {
    withHops(undefined);
    expect(ip({ "x-forwarded-for": "127.0.0.1" })).toBe("127.0.0.1");
    expect(ip({ "x-forwarded-for": " 203.0.113.9 , 10.0.0.1" })).toBe("10.0.0.1");
    // X-Real-IP is never trusted.
    expect(ip({ "x-real-ip": "198.51.100.2" })).toBe("local");
    expect(ip({})).toBe("local");
  });

  it("with N hops takes the entry N places from the right, or the leftmost when the chain is shorter", () => {
    withHops(1);
    expect(ip({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.1" })).toBe("203.0.113.9");
    expect(ip({ "x-forwarded-for": "10.0.0.1" })).toBe("10.0.0.1");
    withHops(2);
    expect(ip({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2, 10.0.0.1" })).toBe("203.0.113.9");
  });

  it("keys IPv4 as is, IPv6 by its /64, and bounds anything else", () => {
    expect(addressKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("192.0.2.7:51234")).toBe("192.0.2.7");
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("[2001:db8:1:2::1]:443")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:DB8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("a".repeat(10_000))).toHaveLength(64);
  });

  describe("behind the stamp (lib/peer-address.ts), as under `next start`", () => {
    let server: http.Server;
    let url: string;
    beforeAll(async () => {
      stampPeerAddresses();
      server = http.createServer((req, res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        res.end(clientIp(headers));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const from = async (headers: Record<string, string>) => (await fetch(url, { headers })).text();

    it("0 hops: the socket's address, whatever forwarding headers the client sends", async () => {
      withHops(0);
      expect(peerHeaderName()).toMatch(/^x-ainfo-peer-[0-9a-f]{24}$/);
      expect(await from({})).toBe("127.0.0.1");
      expect(await from({ "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
      expect(await from({ "x-forwarded-for": "203.0.113.9, 198.51.100.1", "x-real-ip": "198.51.100.2" })).toBe("127.0.0.1");
      // Nor can it send the stamp itself: the name is random per process and overwritten.
      expect(await from({ [peerHeaderName()!]: "203.0.113.9" })).toBe("127.0.0.1");
    });

    it("1 hop: what the proxy appended, not what the client wrote before it", async () => {
      withHops(1);
      expect(await from({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
      expect(await from({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" })).toBe("203.0.113.9");
      expect(await from({})).toBe("127.0.0.1");
    });
  });
});

describe("Semaphore (the argon2 cap)", () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it("runs at most `max` tasks at once; the next waits for a free slot", async () => {
    const semaphore = new Semaphore(() => 2, () => 60_000);
    const first = gate();
    const second = gate();
    let running = 0;
    let peak = 0;
    const task = (g: { opened: Promise<void> }) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await g.opened;
      running -= 1;
      return "done";
    };
    const a = semaphore.run(task(first));
    const b = semaphore.run(task(second));
    const c = semaphore.run(task({ opened: Promise.resolve() }));
    await Promise.resolve();
    expect(running).toBe(2);
    first.open();
    second.open();
    expect(await Promise.all([a, b, c])).toEqual([
      { ok: true, value: "done" },
      { ok: true, value: "done" },
      { ok: true, value: "done" },
    ]);
    expect(peak).toBe(2);
  });

  it("gives up on a waiter after the timeout (its task never runs), and at once with no timeout or a full queue", async () => {
    vi.useFakeTimers();
    try {
      const busy = gate();
      const semaphore = new Semaphore(() => 1, () => 1_000, 1);
      const holder = semaphore.run(() => busy.opened);
      let ran = false;
      const waiter = semaphore.run(async () => void (ran = true));
      expect(await semaphore.run(async () => undefined)).toEqual({ ok: false }); // queue full
      vi.advanceTimersByTime(1_000);
      expect(await waiter).toEqual({ ok: false });
      expect(ran).toBe(false);
      busy.open();
      await holder;
      // The slot is free again.
      expect(await semaphore.run(async () => 1)).toEqual({ ok: true, value: 1 });

      const none = new Semaphore(() => 1, () => 0);
      const held = gate();
      const first = none.run(() => held.opened);
      expect(await none.run(async () => 2)).toEqual({ ok: false });
      held.open();
      await first;
    } finally {
      vi.useRealTimers();
    }
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

// The shared counters' refund (a correct password gives its count back) on both Redis clients.
describe.runIf(process.env.REDIS_URL)("shared counters: counting and refunding password failures", () => {
  const saved = { ...process.env };
  let upstash: FakeUpstash | undefined;
  let redis: ReturnType<typeof createClient>;
  const prefix = `ainfo-unit-${process.pid}-${Date.now()}:`;
  const useBackend = (backend: "redis" | "upstash") => {
    process.env = { ...saved, RATE_LIMIT_KEY_PREFIX: prefix, RATE_LIMIT_PASSWORD_FAILURES: "2" };
    if (backend === "upstash") {
      delete process.env.REDIS_URL;
      process.env.UPSTASH_REDIS_REST_URL = upstash!.url;
      process.env.UPSTASH_REDIS_REST_TOKEN = upstash!.token;
    }
    resetEnvCache();
    delete (globalThis as { __ainfoRateLimiter?: unknown }).__ainfoRateLimiter;
  };
  beforeAll(async () => {
    upstash = await startFakeUpstash(process.env.REDIS_URL!);
    redis = createClient({ url: process.env.REDIS_URL });
    await redis.connect();
  });
  afterAll(async () => {
    process.env = saved;
    resetEnvCache();
    delete (globalThis as { __ainfoRateLimiter?: unknown }).__ainfoRateLimiter;
    for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
    redis.destroy();
    await upstash?.close();
  });

  it.each(["redis", "upstash"] as const)("%s: counts, refunds within the window, refuses past the limit for 15 minutes", async (backend) => {
    useBackend(backend);
    const subject = `account:${backend}`;
    const key = `${prefix}password:${subject}`;
    await enforceRateLimit("password", subject);
    await refundRateLimit("password", subject); // a correct password
    expect(await redis.get(key)).toBe("0");
    await enforceRateLimit("password", subject);
    await enforceRateLimit("password", subject);
    expect(await redis.get(key)).toBe("2");
    const error = (await enforceRateLimit("password", subject).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(Number(error.headers["Retry-After"])).toBeGreaterThan(14 * 60);
    // A refund never opens a window of its own (which would have no expiry).
    await redis.del(key);
    await refundRateLimit("password", subject);
    expect(await redis.exists(key)).toBe(0);
  });
});
