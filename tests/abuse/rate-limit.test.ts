import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/stack";
import { randomIp, remote, setProxy, type Remote } from "../support/remote";

// A server of this file's own with low limits (the shared one runs with very high ones).
// Windows start at a subject's first request, so N+1 quick requests are refused whatever the
// time; every test uses fresh users or a fresh client IP, so the budgets never overlap. The
// server trusts one proxy hop, so the tests play the proxy: the last X-Forwarded-For entry
// is the client (tests/abuse/client-ip.test.ts covers the default, which trusts none).
const WRITES = 5;
const MESSAGES = 3;
const AUTH = 4;
const THROTTLED = /^Request was throttled\. Expected available in (\d+) seconds\.$/;

let stack: Stack;
let app: Remote;

beforeAll(async () => {
  stack = await startStack({
    env: {
      RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES),
      RATE_LIMIT_MESSAGES_PER_MINUTE: String(MESSAGES),
      RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH),
      TRUST_PROXY_HOPS: "1",
    },
  });
  app = remote(stack.baseUrl);
});
afterAll(async () => {
  await stack?.stop();
});

function expectThrottled(res: { status: number; headers: Headers; json: any }) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.json).toEqual({ detail: expect.stringMatching(THROTTLED) });
  expect(Number(THROTTLED.exec(res.json.detail)![1])).toBe(retryAfter);
}

describe("writes (RATE_LIMIT_WRITES_PER_MINUTE, per user)", () => {
  it("refuses the write over the limit with 429 and Retry-After; reads and other users are not affected", async () => {
    const alice = await app.newClient("alice");
    const rooms = [];
    for (let i = 0; i < WRITES; i++) rooms.push(await app.createRoom(alice, `room ${i}`));
    expectThrottled(await app.request("POST", "/room/", { token: alice.token, body: { title: "one too many" } }));
    // Every write method shares the budget, and nothing was changed by the refused ones.
    expectThrottled(await app.request("PATCH", `/room/${rooms[0]!.id}/`, { token: alice.token, body: { title: "x" } }));
    expectThrottled(await app.request("PUT", `/room/${rooms[0]!.id}/`, { token: alice.token, body: { title: "x" } }));
    expectThrottled(await app.request("DELETE", `/room/${rooms[0]!.id}/`, { token: alice.token }));
    expectThrottled(await app.request("POST", "/room/bulk-delete/", { token: alice.token, body: { ids: rooms.map((r) => r.id) } }));
    expectThrottled(await app.request("DELETE", `/auth/tokens/1/`, { token: alice.token }));
    const list = await app.request("GET", "/room/", { token: alice.token });
    expect(list.status).toBe(200);
    expect(list.json.map((r: { title: string }) => r.title).sort()).toEqual(rooms.map((r) => r.title).sort());
    expect((await app.request("GET", "/auth/tokens/", { token: alice.token })).status).toBe(200);

    const bob = await app.newClient("bob");
    expect((await app.request("POST", "/room/", { token: bob.token, body: {} })).status).toBe(201);
  });

  it("counts a session-cookie user the same as a token user", async () => {
    const carol = await app.newClient("carol");
    const { cookie } = await app.signIn(carol, { "x-forwarded-for": randomIp() });
    expect(cookie).toBeDefined();
    const headers = { cookie: cookie!, origin: stack.baseUrl };
    for (let i = 0; i < WRITES; i++) {
      expect((await app.request("POST", "/room/", { headers, body: {} })).status).toBe(201);
    }
    expectThrottled(await app.request("POST", "/room/", { headers, body: {} }));
    expectThrottled(await app.request("POST", "/room/", { token: carol.token, body: {} }));
  });
});

describe("messages (RATE_LIMIT_MESSAGES_PER_MINUTE, per user)", () => {
  it("refuses the message over the limit, storing nothing for it, with its own budget", async () => {
    const dave = await app.newClient("dave");
    const room = await app.createRoom(dave);
    for (let i = 0; i < MESSAGES; i++) expect((await app.sendMessage(dave, room.id, `message ${i}`)).status).toBe(201);
    expectThrottled(await app.sendMessage(dave, room.id, "one too many"));
    const logs = await app.request("GET", `/room/${room.id}/logs/`, { token: dave.token });
    expect(logs.json).toHaveLength(MESSAGES * 2);
    expect(logs.json.map((l: { message: string }) => l.message)).not.toContain("one too many");
    // Messages do not use up the writes budget, nor writes the messages one.
    expect((await app.request("POST", "/room/", { token: dave.token, body: {} })).status).toBe(201);
  });
});

describe("auth (RATE_LIMIT_AUTH_PER_MINUTE, per client IP)", () => {
  it("throttles token minting, registration and the credentials sign-in from one IP, not from others", async () => {
    const erin = await app.newClient("erin");
    const ip = { "x-forwarded-for": `192.0.2.1, ${randomIp()}` }; // the proxy appended the client's address last
    for (let i = 0; i < AUTH; i++) {
      const wrong = await app.request("POST", "/auth/token/", { body: { email: erin.email, password: "wrong password" }, headers: ip });
      expect(wrong.status).toBe(400);
    }
    // Over the limit even the right password is refused: guessing cannot continue.
    expectThrottled(await app.request("POST", "/auth/token/", { body: { email: erin.email, password: erin.password }, headers: ip }));
    expectThrottled(
      await app.request("POST", "/auth/register/", { body: { email: `x${erin.email}`, password: "long enough pw" }, headers: ip }),
    );
    const signIn = await fetch(`${stack.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { ...ip, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: erin.email, password: erin.password, json: "true" }),
    });
    expect(signIn.status).toBe(429);
    expect(Number(signIn.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await signIn.json()).toEqual({ detail: expect.stringMatching(THROTTLED) });

    // Another client still gets in.
    const other = await app.request("POST", "/auth/token/", {
      body: { email: erin.email, password: erin.password },
      headers: { "x-forwarded-for": randomIp() },
    });
    expect(other.status).toBe(201);
    // next-auth's GET endpoints (csrf, session, providers) are not throttled.
    expect((await fetch(`${stack.baseUrl}/api/auth/csrf`, { headers: ip })).status).toBe(200);
  });

  // A client that reached the server without the proxy is limited by its socket's address.
  // (This is the only test here that sends no forwarding header.)
  it("limits clients without any forwarding header by their socket address", async () => {
    const statuses = [];
    for (let i = 0; i <= AUTH; i++) {
      statuses.push((await app.request("POST", "/auth/token/", { body: { email: "nobody@example.com", password: "whatever1" } })).status);
    }
    expect(statuses).toEqual([...Array(AUTH).fill(400), 429]);
  });
});

describe.runIf(process.env.REDIS_URL)("shared counters in Redis", () => {
  it("keeps the counters in Redis under the configured prefix, expiring with the window", async () => {
    const frank = await app.newClient("frank");
    await app.createRoom(frank);
    await app.createRoom(frank);
    const redis = createClient({ url: process.env.REDIS_URL });
    await redis.connect();
    try {
      const key = `${stack.keyPrefix.replace(/message_store:$/, "")}ratelimit:writes:user:${frank.userId}`;
      expect(await redis.get(key)).toBe("2");
      const ttl = await redis.pTTL(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.destroy();
    }
  });

  it("falls back to in-process limits while Redis is down: requests are served, limits still hold", async () => {
    const grace = await app.newClient("grace");
    await setProxy(stack.redisControlUrl, false);
    try {
      for (let i = 0; i < WRITES; i++) {
        expect((await app.request("POST", "/room/", { token: grace.token, body: {} })).status).toBe(201);
      }
      expectThrottled(await app.request("POST", "/room/", { token: grace.token, body: {} }));
    } finally {
      await setProxy(stack.redisControlUrl, true);
    }
    // Back on Redis: a new user is counted there again.
    const heidi = await app.newClient("heidi");
    const redis = createClient({ url: process.env.REDIS_URL });
    await redis.connect();
    try {
      const key = `${stack.keyPrefix.replace(/message_store:$/, "")}ratelimit:writes:user:${heidi.userId}`;
      const deadline = Date.now() + 15_000;
      let seen: string | null = null;
      while (seen === null && Date.now() < deadline) {
        // Until the client has reconnected, this is counted in-process; then in Redis.
        await app.request("POST", "/room/", { token: heidi.token, body: {} });
        seen = await redis.get(key);
        if (seen === null) await new Promise((r) => setTimeout(r, 1_100));
      }
      expect(seen).not.toBeNull();
    } finally {
      redis.destroy();
    }
  });
});
