import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createRoom, hasRedis, newClient, request, sendMessage, setRedis } from "../support/api";
import { testDatabase } from "../support/db";

/**
 * docs/history.md: deleting a room never leaves its history behind — the purge is carried out at
 * once, and when Redis is down it is recorded in Postgres and retried until Redis confirms.
 */

const redisUrl = inject("redisUrl");
const keyPrefix = inject("keyPrefix");
const sql = testDatabase();

type Redis = ReturnType<typeof createClient>;
let redis: Redis | undefined;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = createClient({ url: redisUrl });
  await redis.connect();
});

afterEach(async () => {
  // Whatever happened in the test, the shared server gets its Redis back.
  if (hasRedis()) await setRedis(true);
});

afterAll(async () => {
  redis?.destroy();
});

const humanItem = (content: string) =>
  JSON.stringify({
    type: "human",
    data: { content, additional_kwargs: {}, response_metadata: {}, type: "human", name: null, id: null, example: false },
  });

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

const pendingPurge = async (roomId: number) =>
  sql ? await sql`select * from history_purges where room_id = ${roomId}` : [];

describe.runIf(hasRedis())("DELETE /room/{id}/ and the Redis history", () => {
  it("removes the room's key at once, and only that key", async () => {
    const client = await newClient("purge");
    const room = await createRoom(client, "doomed");
    const other = await createRoom(client, "survivor");
    const key = `${keyPrefix}${room.id}`;
    const otherKey = `${keyPrefix}${other.id}`;
    await redis!.lPush(key, [humanItem("안녕"), humanItem("hello")]);
    await redis!.lPush(otherKey, humanItem("keep me"));
    expect(await redis!.exists(key)).toBe(1);

    const res = await request("DELETE", `/room/${room.id}/`, { token: client.token });
    expect(res.status).toBe(204);
    expect(await redis!.exists(key)).toBe(0);
    expect(await redis!.lRange(otherKey, 0, -1)).toEqual([humanItem("keep me")]);
    if (sql) expect(await pendingPurge(room.id)).toEqual([]);
    await redis!.del(otherKey);
  });

  it("a stranger's DELETE (404) leaves the history alone", async () => {
    const owner = await newClient("owner");
    const stranger = await newClient("stranger");
    const room = await createRoom(owner, "private");
    const key = `${keyPrefix}${room.id}`;
    await redis!.lPush(key, humanItem("secret"));
    expect((await request("DELETE", `/room/${room.id}/`, { token: stranger.token })).status).toBe(404);
    expect(await redis!.exists(key)).toBe(1);
    expect((await request("DELETE", `/room/${room.id}/`, { token: owner.token })).status).toBe(204);
    expect(await redis!.exists(key)).toBe(0);
  });

  it("with Redis cut, DELETE still answers 204 quickly, and the purge is retried once Redis is back", async () => {
    const client = await newClient("outage");
    const room = await createRoom(client, "deleted during an outage");
    const key = `${keyPrefix}${room.id}`;
    await redis!.lPush(key, [humanItem("one"), humanItem("two")]);

    try {
      await setRedis(false);
      const started = Date.now();
      const res = await request("DELETE", `/room/${room.id}/`, { token: client.token });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect(elapsed).toBeLessThan(3_000);

      // Postgres is the source of truth: the room is gone even though its history is not yet.
      expect((await request("GET", `/room/${room.id}/`, { token: client.token })).status).toBe(404);
      expect(await redis!.exists(key)).toBe(1);
      if (sql) {
        const [pending] = await pendingPurge(room.id);
        expect(pending).toBeDefined();
        expect(Number(pending!.room_id)).toBe(room.id);
        expect(pending!.attempts).toBeGreaterThanOrEqual(1);
        expect(pending!.last_error).toEqual(expect.any(String));
      }
    } finally {
      await setRedis(true);
    }

    expect(await waitFor(async () => (await redis!.exists(key)) === 0, 15_000)).toBe(true);
    if (sql) expect(await waitFor(async () => (await pendingPurge(room.id)).length === 0, 5_000)).toBe(true);
  }, 30_000);

  it("a conversation's history is kept in LangChain's format and removed with the room", async () => {
    const client = await newClient("chat");
    const room = await createRoom(client, "chatty");
    const res = await sendMessage(client, room.id, "기억해 줘: 42");
    expect(res.status, res.text).toBe(201);
    const key = `${keyPrefix}${room.id}`;
    const items = (await redis!.lRange(key, 0, -1)).map((item) => JSON.parse(item));
    expect(items.map((item) => item.type)).toEqual(["ai", "human"]);
    expect(items[1].data.content).toBe("기억해 줘: 42");
    expect(await redis!.ttl(key)).toBeGreaterThan(0);

    expect((await request("DELETE", `/room/${room.id}/`, { token: client.token })).status).toBe(204);
    expect(await redis!.exists(key)).toBe(0);
  });
});
