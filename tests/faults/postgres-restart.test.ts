import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Client } from "../support/api";
import { remote, setProxy, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// Postgres "restarted" under a running server: the app reaches it through a TCP proxy that
// the test cuts (every connection dropped, new ones refused) and restores. While it is away
// the API answers 503 {"detail"} with Retry-After — never a 500, never a 401 for a valid
// credential, never a hang — and afterwards it recovers on its own, without a restart.

let stack: Stack;
let app: Remote;
let alice: Client;
let cookie: string;
let roomId: number;

beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  stack = await startStack({ proxyPostgres: true });
  app = remote(stack.baseUrl);
  alice = await app.newClient("alice");
  cookie = (await app.signIn(alice)).cookie!;
  roomId = (await app.createRoom(alice, "before the restart")).id;
  expect((await app.sendMessage(alice, roomId, "hello")).status).toBe(201);
});
afterAll(async () => {
  if (stack?.postgresControlUrl) await setProxy(stack.postgresControlUrl, true).catch(() => undefined);
  await stack?.stop();
});

function expectUnavailable(res: { status: number; headers: Headers; json: any; text: string }) {
  expect(res.status, res.text).toBe(503);
  expect(res.json).toEqual({ detail: expect.any(String) });
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

describe.runIf(process.env.DATABASE_URL)("Postgres cut off and restored", () => {
  it("answers 503 while it is away and recovers fully once it is back, without restarting the app", async () => {
    const pid = stack.pid;
    await setProxy(stack.postgresControlUrl, false);
    try {
      const started = Date.now();
      const asToken = { token: alice.token };
      expectUnavailable(await app.request("GET", "/room/", asToken));
      expectUnavailable(await app.request("GET", `/room/${roomId}/`, asToken));
      expectUnavailable(await app.request("GET", `/room/${roomId}/logs/`, asToken));
      expectUnavailable(await app.request("POST", "/room/", { ...asToken, body: { title: "during" } }));
      expectUnavailable(await app.request("PATCH", `/room/${roomId}/`, { ...asToken, body: { title: "during" } }));
      expectUnavailable(await app.request("DELETE", `/room/${roomId}/`, asToken));
      expectUnavailable(await app.sendMessage(alice, roomId, "during the outage"));
      expectUnavailable(await app.request("GET", "/auth/tokens/", asToken));
      // The session cookie path looks the user up too.
      expectUnavailable(await app.request("GET", "/room/", { headers: { cookie } }));
      // Signing up or minting a token needs the database as well.
      expectUnavailable(await app.request("POST", "/auth/token/", { body: { email: alice.email, password: alice.password } }));
      expectUnavailable(await app.request("POST", "/auth/register/", { body: { email: "new@example.com", password: "long enough" } }));
      // Things that do not need the database still answer.
      expect((await app.request("GET", "/room/", {})).status).toBe(401);
      // A path that names no resource is a 404 before anything else, as in DRF: no database needed.
      expect((await app.request("GET", "/room/abc/", asToken)).status).toBe(404);
      const health = await fetch(`${stack.baseUrl}/api/health`);
      expect(health.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(60_000); // each failed fast, not after a hang
    } finally {
      await setProxy(stack.postgresControlUrl, true);
    }

    // Back: the pool reconnects on the next query.
    await eventually(async () => (await fetch(`${stack.baseUrl}/api/health`)).status === 200, 30_000);
    const rooms = await app.request("GET", "/room/", { token: alice.token });
    expect(rooms.status).toBe(200);
    expect(rooms.json.map((r: { title: string }) => r.title)).toEqual(["before the restart"]);
    const logs = await app.request("GET", `/room/${roomId}/logs/`, { token: alice.token });
    // Nothing was half-written during the outage.
    expect(logs.json.map((l: { message: string }) => l.message)).toEqual(["hello", "Echo: hello [context: 1 messages]"]);
    const reply = await app.sendMessage(alice, roomId, "after");
    expect(reply.status).toBe(201);
    expect(reply.json.bot.message).toBe("Echo: after [context: 3 messages]");
    expect((await app.request("GET", "/room/", { headers: { cookie } })).status).toBe(200);
    expect((await app.request("POST", "/room/", { token: alice.token, body: {} })).status).toBe(201);
    expect((await app.newClient("after")).token).toBeTruthy();
    expect(stack.pid).toBe(pid);
    expect(() => process.kill(pid!, 0)).not.toThrow(); // the same process, still running
  }, 120_000);

  it("survives repeated short outages (connections dropped while idle and in use)", async () => {
    for (let i = 0; i < 3; i++) {
      const inFlight = app.request("GET", "/room/", { token: alice.token });
      await setProxy(stack.postgresControlUrl, false);
      const during = await inFlight;
      expect([200, 503]).toContain(during.status);
      await setProxy(stack.postgresControlUrl, true);
      const after = await eventually(async () => {
        const res = await app.request("GET", "/room/", { token: alice.token });
        return res.status === 200 ? res : undefined;
      }, 30_000);
      expect(after.json.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
