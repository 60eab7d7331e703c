import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sseReader, type Client, type SseEvent } from "../support/api";
import { startFakeUpstash, type FakeUpstash } from "../support/fake-upstash";
import { remote, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// docs/chat-turn.md#replies-that-outlive-the-request with two `next start` instances of one deployment (one Postgres, one Redis, one
// key prefix, one auth secret): one order per room, one stream cap per user, and replies
// followed and stopped from the instance that does not run them. Then the same over Upstash
// REST (the fake Upstash server over the real Redis), and a process killed mid-reply.

const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const FULL = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");

const sse = sseReader;
const deltas = (events: SseEvent[]) => events.filter((e) => e.event === "delta").length;
const fullText = (events: SseEvent[]) =>
  (events.find((e) => e.event === "snapshot")?.data.text ?? "") +
  events
    .filter((e) => e.event === "delta")
    .map((e) => e.data.text)
    .join("");

function streamOn(app: Remote, client: Client, roomId: number, message: string) {
  return fetch(app.url(`/room/${roomId}/messages/`), {
    method: "POST",
    headers: { ...client.headers, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ message }),
  });
}
const followOn = (app: Remote, client: Client, roomId: number) =>
  fetch(app.url(`/room/${roomId}/stream/`), { headers: { ...client.headers, accept: "text/event-stream" } });
const logsOn = async (app: Remote, client: Client, roomId: number) =>
  (await app.request("GET", `/room/${roomId}/logs/`, { token: client.token })).json as { role: string; message: string; stopped: boolean }[];

/** The cross-instance behaviour, for a pair of instances sharing one store. */
function crossInstanceContract(instances: () => { appA: Remote; appB: Remote }) {
  it("follows a reply run by A from B: snapshot, the rest, and the stored Log", async () => {
    const { appA, appB } = instances();
    const alice = await appA.newClient("alice");
    const room = await appA.createRoom(alice);
    const sender = sse(await streamOn(appA, alice, room.id, "SLOW on A"));
    await sender.readUntil((events) => deltas(events) >= 5);

    const res = await followOn(appB, alice, room.id);
    expect(res.status).toBe(200);
    const events = await sse(res).rest();
    expect(events[0]).toMatchObject({ event: "snapshot", data: { user: { message: "SLOW on A", chatroom: room.id } } });
    expect(events[0]!.data.text).toMatch(/^word0 word1 word2 word3 word4 /);
    expect(fullText(events)).toBe(FULL);
    const original = await sender.rest();
    expect(events.at(-1)).toEqual(original.at(-1));
    expect(events.at(-1)).toMatchObject({ event: "done", data: { message: FULL, stopped: false } });
    expect((await followOn(appB, alice, room.id)).status).toBe(204);
    expect((await followOn(appA, alice, room.id)).status).toBe(204);
  });

  it("stops a reply run by A from B; A's stream and B's follower end with the stopped Log", async () => {
    const { appA, appB } = instances();
    const alice = await appA.newClient("alice");
    const room = await appA.createRoom(alice);
    const sender = sse(await streamOn(appA, alice, room.id, "CRAWL on A"));
    await sender.readUntil((events) => deltas(events) >= 3);
    const follower = sse(await followOn(appB, alice, room.id));
    await follower.readUntil((events) => events.length >= 1);

    const stopped = await appB.request("POST", `/room/${room.id}/stop/`, { token: alice.token });
    expect(stopped.status).toBe(200);
    expect(stopped.json.stopped).toBe(true);
    expect(stopped.json.bot).toMatchObject({ role: "bot", stopped: true });
    expect(stopped.json.bot.message).toMatch(/^word0 word1 word2/);
    expect(stopped.json.bot.message.length).toBeLessThan(FULL.length);
    for (const events of [await sender.rest(), await follower.rest()]) {
      expect(events.at(-1)).toEqual({ event: "done", data: stopped.json.bot });
    }
    const logs = await logsOn(appB, alice, room.id);
    expect(logs.map((l) => [l.role, l.stopped])).toEqual([
      ["user", false],
      ["bot", true],
    ]);
    expect((await appB.request("POST", `/room/${room.id}/stop/`, { token: alice.token })).json).toEqual({ stopped: false });
  });

  it("answers one room's turns one after another whichever instance takes them", async () => {
    const { appA, appB } = instances();
    const alice = await appA.newClient("alice");
    const room = await appA.createRoom(alice);
    const first = sse(await streamOn(appA, alice, room.id, "SLOW first on A"));
    await first.readUntil((events) => deltas(events) >= 3);
    const second = appB.sendMessage(alice, room.id, "second on B");
    await new Promise((r) => setTimeout(r, 200));
    const third = appA.sendMessage(alice, room.id, "third on A");
    // Waiting messages are not stored before their turn.
    await new Promise((r) => setTimeout(r, 300));
    expect((await logsOn(appB, alice, room.id)).map((l) => l.message)).toEqual(["SLOW first on A"]);

    const [b, c] = await Promise.all([second, third]);
    expect([b.status, c.status]).toEqual([201, 201]);
    expect(b.json.bot.message).toBe("Echo: second on B [context: 3 messages]");
    expect(c.json.bot.message).toBe("Echo: third on A [context: 5 messages]");
    expect((await logsOn(appA, alice, room.id)).map((l) => [l.role, l.message])).toEqual([
      ["user", "SLOW first on A"],
      ["bot", FULL],
      ["user", "second on B"],
      ["bot", "Echo: second on B [context: 3 messages]"],
      ["user", "third on A"],
      ["bot", "Echo: third on A [context: 5 messages]"],
    ]);
  });

  it("counts MAX_CONCURRENT_STREAMS (3) across both instances", async () => {
    const { appA, appB } = instances();
    const bob = await appA.newClient("bob");
    const rooms = await Promise.all([1, 2, 3, 4].map(() => appA.createRoom(bob)));
    const running = [
      sse(await streamOn(appA, bob, rooms[0]!.id, "CRAWL one")),
      sse(await streamOn(appB, bob, rooms[1]!.id, "CRAWL two")),
      sse(await streamOn(appA, bob, rooms[2]!.id, "CRAWL three")),
    ];
    for (const r of running) await r.readUntil((events) => deltas(events) >= 1);
    for (const app of [appA, appB]) {
      const fourth = await app.sendMessage(bob, rooms[3]!.id, "one more");
      expect(fourth.status).toBe(429);
      expect(fourth.json.detail).toMatch(/at most 3/);
    }
    expect(await logsOn(appA, bob, rooms[3]!.id)).toEqual([]);
    // Stopping one (from the other instance) frees a slot everywhere.
    expect((await appB.request("POST", `/room/${rooms[0]!.id}/stop/`, { token: bob.token })).json.stopped).toBe(true);
    expect((await appB.sendMessage(bob, rooms[3]!.id, "now")).status).toBe(201);
    for (const room of rooms.slice(1, 3)) await appA.request("POST", `/room/${room.id}/stop/`, { token: bob.token });
  });

  it("a retried send with the same Idempotency-Key through the other instance stores nothing new", async () => {
    const { appA, appB } = instances();
    const alice = await appA.newClient("alice");
    const room = await appA.createRoom(alice);
    const send = (app: Remote) =>
      app.request("POST", `/room/${room.id}/messages/`, {
        token: alice.token,
        body: { message: "once across instances" },
        headers: { accept: "application/json", "idempotency-key": "retry-1" },
      });
    const first = await send(appA);
    const again = await send(appB);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(await logsOn(appB, alice, room.id)).toHaveLength(2);
  });
}

describe.runIf(shared)("two instances on one Redis (TCP)", () => {
  let a: Stack;
  let b: Stack;
  let appA: Remote;
  let appB: Remote;
  beforeAll(async () => {
    // A has a pool of two database connections (the fewest its migration lock can start with):
    // two replies that each held one would block every other request on A.
    a = await startStack({ env: { DB_POOL_MAX: "2" } });
    b = await startStack({ join: a });
    appA = remote(a.baseUrl);
    appB = remote(b.baseUrl);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });
  crossInstanceContract(() => ({ appA, appB }));

  it("holds no database connection for a reply's length (A's pool of two serves others during two replies)", async () => {
    const alice = await appA.newClient("alice");
    const rooms = await Promise.all([1, 2].map(() => appA.createRoom(alice)));
    const replies = await Promise.all(rooms.map(async (room) => sse(await streamOn(appA, alice, room.id, "SLOW meanwhile"))));
    for (const reply of replies) await reply.readUntil((events) => deltas(events) >= 2);
    const listed = await appA.request("GET", "/room/", { token: alice.token });
    expect(listed.status).toBe(200);
    expect(listed.json).toHaveLength(2);
    const detail = await appA.request("GET", `/room/${rooms[0]!.id}/`, { token: alice.token });
    expect(detail.json.chatlogs.map((l: { message: string }) => l.message)).toEqual(["SLOW meanwhile"]);
    // Both answered while the replies were still being written.
    for (const reply of replies) expect(reply.events.some((e) => e.event === "done")).toBe(false);
    for (const reply of replies) expect((await reply.rest()).at(-1)).toMatchObject({ event: "done", data: { message: FULL } });
  });

  it("a process killed mid-reply leaves no room stuck: /stream/ says idle and a new message is answered within 30 s", async () => {
    const c = await startStack({ join: a });
    try {
      const appC = remote(c.baseUrl);
      const alice = await appC.newClient("alice");
      const room = await appC.createRoom(alice);
      const doomed = sse(await streamOn(appC, alice, room.id, "CRAWL then crash"));
      await doomed.readUntil((events) => deltas(events) >= 2);
      const follower = sse(await followOn(appB, alice, room.id));
      await follower.readUntil((events) => events.length >= 1);

      await c.kill!("SIGKILL");
      const killedAt = Date.now();
      const next = await appB.sendMessage(alice, room.id, "anyone there?");
      expect(next.status).toBe(201);
      expect(Date.now() - killedAt).toBeLessThan(30_000);
      expect(next.json.bot.message).toBe("Echo: anyone there? [context: 2 messages]");
      expect((await followOn(appB, alice, room.id)).status).toBe(204);
      expect((await followOn(appA, alice, room.id)).status).toBe(204);
      // The follower was told the reply died instead of waiting forever.
      expect((await follower.rest()).at(-1)).toMatchObject({ event: "error", data: { status: 503 } });
      expect((await logsOn(appA, alice, room.id)).map((l) => [l.role, l.message])).toEqual([
        ["user", "CRAWL then crash"],
        ["user", "anyone there?"],
        ["bot", "Echo: anyone there? [context: 2 messages]"],
      ]);
    } finally {
      await c.stop();
    }
  }, 90_000);
});

describe.runIf(shared)("two instances on Upstash (REST: followers poll)", () => {
  let upstash: FakeUpstash;
  let a: Stack;
  let b: Stack;
  let appA: Remote;
  let appB: Remote;
  beforeAll(async () => {
    upstash = await startFakeUpstash(process.env.REDIS_URL!);
    const env = { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token };
    a = await startStack({ env });
    b = await startStack({ join: a, env });
    appA = remote(a.baseUrl);
    appB = remote(b.baseUrl);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await upstash?.close();
  });
  crossInstanceContract(() => ({ appA, appB }));
});
