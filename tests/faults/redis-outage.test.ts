import postgres from "postgres";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Client } from "../support/api";
import { remote, setProxy, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// docs/chat-turn.md#context, §7: Redis is a cache of the model's context. With it cut off (through this
// file's own proxy, so the shared server is not disturbed), everything keeps working from
// Postgres, and a room deleted meanwhile has its history purged once Redis is back.

let stack: Stack;
let app: Remote;
let redis: ReturnType<typeof createClient>;
let sql: postgres.Sql;
let alice: Client;

beforeAll(async () => {
  stack = await startStack();
  app = remote(stack.baseUrl);
  redis = createClient({ url: stack.redisUrl });
  await redis.connect();
  sql = postgres(stack.databaseUrl!, { max: 1, onnotice: () => {} });
  alice = await app.newClient("alice");
});
afterAll(async () => {
  if (stack?.redisControlUrl) await setProxy(stack.redisControlUrl, true).catch(() => undefined);
  redis?.destroy();
  await sql?.end();
  await stack?.stop();
});

const key = (roomId: number) => `${stack.keyPrefix}${roomId}`;
const contextOf = (reply: string) => Number(/\[context: (\d+) messages\]/.exec(reply)?.[1]);

describe.runIf(process.env.REDIS_URL && process.env.DATABASE_URL)("Redis cut off", () => {
  it("serves lists and logs, answers messages from a context rebuilt from Postgres, deletes rooms; purges once Redis is back", async () => {
    // Before the outage: two rooms with an exchange each, so both have a history in Redis.
    const kept = await app.createRoom(alice, "kept");
    const doomed = await app.createRoom(alice, "doomed");
    expect((await app.sendMessage(alice, kept.id, "my name is Minji")).status).toBe(201);
    expect((await app.sendMessage(alice, doomed.id, "about to go")).status).toBe(201);
    expect(await redis.exists([key(kept.id), key(doomed.id)])).toBe(2);

    await setProxy(stack.redisControlUrl, false);
    try {
      const rooms = await app.request("GET", "/room/", { token: alice.token });
      expect(rooms.status).toBe(200);
      expect(rooms.json.map((r: { id: number }) => r.id).sort()).toEqual([kept.id, doomed.id].sort());
      const logs = await app.request("GET", `/room/${kept.id}/logs/`, { token: alice.token });
      expect(logs.status).toBe(200);
      expect(logs.json).toHaveLength(2);
      expect((await app.request("GET", `/room/${kept.id}/`, { token: alice.token })).status).toBe(200);

      // The model still gets the earlier exchange: read back from Postgres.
      const started = Date.now();
      const reply = await app.sendMessage(alice, kept.id, "what is my name?");
      expect(reply.status).toBe(201);
      expect(reply.json.bot.message).toBe("Echo: what is my name? [context: 3 messages]");
      expect(Date.now() - started).toBeLessThan(15_000); // bounded Redis time-outs, not a hang

      // Streaming too.
      const stream = await fetch(app.url(`/room/${kept.id}/messages/`), {
        method: "POST",
        headers: { ...alice.headers, "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ message: "and again?" }),
      });
      expect(stream.status).toBe(200);
      const text = await stream.text();
      expect(text).toContain("event: done");
      expect(text).toContain("[context: 5 messages]");

      // Deleting succeeds; the purge is recorded, waiting for Redis.
      const deleted = await app.request("DELETE", `/room/${doomed.id}/`, { token: alice.token });
      expect(deleted.status).toBe(204);
      expect((await app.request("GET", `/room/${doomed.id}/`, { token: alice.token })).status).toBe(404);
      expect(await redis.exists(key(doomed.id))).toBe(1); // Redis itself is fine; the app cannot reach it
      expect(await sql`select 1 from history_purges where room_id = ${doomed.id}`).toHaveLength(1);
      expect((await fetch(`${stack.baseUrl}/api/health`)).status).toBe(200);
    } finally {
      await setProxy(stack.redisControlUrl, true);
    }

    // Redis is back: the purge worker carries out what was pending.
    await eventually(async () => (await redis.exists(key(doomed.id))) === 0, 45_000);
    await eventually(async () => (await sql`select 1 from history_purges where room_id = ${doomed.id}`).length === 0, 45_000);

    // The kept room's history missed the outage's exchanges; it was invalidated rather than left
    // stale, so once that purge is done the next turn sees every message from Postgres.
    await eventually(async () => (await sql`select 1 from history_purges where room_id = ${kept.id}`).length === 0, 45_000);
    const after = await app.sendMessage(alice, kept.id, "still there?");
    expect(after.status).toBe(201);
    expect(contextOf(after.json.bot.message)).toBe(7); // 6 earlier messages (HISTORY_MAX_MESSAGES=6) + this one
    const history = (await redis.lRange(key(kept.id), 0, -1)).map((item) => JSON.parse(item).data.content as string).reverse();
    expect(history.slice(-2)).toEqual(["still there?", after.json.bot.message]);
    expect(history).toContain("what is my name?");
  }, 120_000);

  it("a room created and used entirely while Redis is down works, and gets a history once Redis is back", async () => {
    await setProxy(stack.redisControlUrl, false);
    let roomId: number;
    try {
      const room = await app.createRoom(alice, "offline room");
      roomId = room.id;
      expect((await app.sendMessage(alice, room.id, "first")).json.bot.message).toBe("Echo: first [context: 1 messages]");
      expect((await app.sendMessage(alice, room.id, "second")).json.bot.message).toBe("Echo: second [context: 3 messages]");
    } finally {
      await setProxy(stack.redisControlUrl, true);
    }
    await eventually(async () => (await sql`select 1 from history_purges where room_id = ${roomId}`).length === 0, 45_000);
    const third = await app.sendMessage(alice, roomId, "third");
    expect(third.json.bot.message).toBe("Echo: third [context: 5 messages]");
    expect(await redis.lLen(key(roomId))).toBe(6);
  }, 120_000);
});
