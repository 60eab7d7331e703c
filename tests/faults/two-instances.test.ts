import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomIp, remote, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// Two `next start` servers sharing one Postgres database, one Redis (same key prefix) and one
// auth secret, as two instances behind a load balancer. Nothing a client does may depend on
// which instance answers. Low limits, so that "shared" can be told from "per instance".
const WRITES = 6;
const AUTH = 4;
// One trusted proxy hop: the tests play the load balancer, appending each client's address.
const FAILURES = 3;
const limits = {
  RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES),
  RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH),
  RATE_LIMIT_PASSWORD_FAILURES: String(FAILURES),
  TRUST_PROXY_HOPS: "1",
};

let a: Stack;
let b: Stack;
let appA: Remote;
let appB: Remote;
let redis: ReturnType<typeof createClient> | undefined;

const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

beforeAll(async () => {
  if (!shared) return;
  a = await startStack({ env: limits });
  b = await startStack({ join: a, env: limits });
  appA = remote(a.baseUrl);
  appB = remote(b.baseUrl);
  redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
});
afterAll(async () => {
  redis?.destroy();
  await b?.stop();
  await a?.stop();
});

describe.runIf(shared)("two instances, one deployment", () => {
  it("are really two processes on different ports", () => {
    expect(a.baseUrl).not.toBe(b.baseUrl);
    expect(a.pid).not.toBe(b.pid);
  });

  it("accept each other's session cookies and tokens", async () => {
    const alice = await appA.newClient("alice"); // registered and token minted on A
    const { cookie } = await appA.signIn(alice, { "x-forwarded-for": randomIp() });
    expect(cookie).toBeDefined();
    for (const app of [appA, appB]) {
      expect((await app.request("GET", "/room/", { token: alice.token })).status).toBe(200);
      expect((await app.request("GET", "/room/", { headers: { cookie: cookie! } })).status).toBe(200);
    }
    // A write through B with A's session (B's own origin).
    const created = await appB.request("POST", "/room/", { headers: { cookie: cookie!, origin: b.baseUrl }, body: { title: "via B" } });
    expect(created.status).toBe(201);
    const onA = await appA.request("GET", `/room/${created.json.id}/`, { token: alice.token });
    expect(onA.json.title).toBe("via B");
    // next-auth on B knows the session signed on A.
    const session = await fetch(`${b.baseUrl}/api/auth/session`, { headers: { cookie: cookie! } });
    expect((await session.json()).user?.email).toBe(alice.email);
  });

  it("a room deleted via one is 404 on the other, and its Redis history is gone", async () => {
    const bob = await appA.newClient("bob");
    const room = await appB.createRoom(bob, "shared room");
    expect((await appB.sendMessage(bob, room.id, "hello from B")).status).toBe(201);
    // The conversation continues on A with B's context (shared Redis history).
    const onA = await appA.sendMessage(bob, room.id, "and from A");
    expect(onA.json.bot.message).toBe("Echo: and from A [context: 3 messages]");
    const key = `${a.keyPrefix}${room.id}`;
    expect(await redis!.lLen(key)).toBe(4);

    expect((await appA.request("DELETE", `/room/${room.id}/`, { token: bob.token })).status).toBe(204);
    for (const path of [`/room/${room.id}/`, `/room/${room.id}/logs/`]) {
      const res = await appB.request("GET", path, { token: bob.token });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ detail: "Not found." });
    }
    expect((await appB.sendMessage(bob, room.id, "anyone?")).status).toBe(404);
    expect(await redis!.exists(key)).toBe(0);
  });

  it("share the per-user write limit: requests split across both hit 429 at the shared total", async () => {
    const carol = await appA.newClient("carol");
    const statuses: number[] = [];
    for (let i = 0; i < WRITES + 2; i++) {
      const app = i % 2 === 0 ? appA : appB;
      statuses.push((await app.request("POST", "/room/", { token: carol.token, body: {} })).status);
    }
    expect(statuses).toEqual([...Array(WRITES).fill(201), 429, 429]);
    const rooms = await appB.request("GET", "/room/", { token: carol.token });
    expect(rooms.json).toHaveLength(WRITES);
  });

  it("share the per-IP auth limit", async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < AUTH + 2; i++) {
      const app = i % 2 === 0 ? appB : appA;
      const res = await app.request("POST", "/auth/token/", {
        body: { email: `nobody-${i}@example.com`, password: "wrong password" }, // below the per-account limit
        headers: { "x-forwarded-for": ip },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(AUTH).fill(400), 429, 429]);
  });

  it("share the per-account failed-password limit", async () => {
    const dana = await appA.newClient("dana");
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES + 2; i++) {
      const app = i % 2 === 0 ? appA : appB;
      const res = await app.request("POST", "/auth/token/", {
        body: { email: dana.email, password: `wrong guess ${i}` },
        headers: { "x-forwarded-for": randomIp() },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(FAILURES).fill(400), 429, 429]);
    const right = await appB.request("POST", "/auth/token/", { body: { email: dana.email, password: dana.password } });
    expect(right.status).toBe(429);
  });
});
