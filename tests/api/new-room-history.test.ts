import postgres from "postgres";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually, hasRedis, request } from "../support/api";
import { remote, setProxy } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

/**
 * docs/security.md: a new room never inherits history. Room ids repeat after a database restore or
 * reset while Redis keeps `message_store:<id>`; the new room's first message must reach the
 * model alone (the fake model answers "[context: N messages]", N counting what it was sent).
 *
 * These tests write keys under room ids that do not exist yet, so they run on a server of their
 * own: on the suite's shared server another file's new room could take one of those ids.
 */

type Redis = ReturnType<typeof createClient>;

/** LangChain's stored form of a message (what an old room left behind). */
const stored = (type: "human" | "ai", content: string) =>
  JSON.stringify({
    type,
    data: { content, additional_kwargs: {}, response_metadata: {}, type, name: null, id: null, example: false },
  });

const OLD_CONVERSATION = [stored("ai", "Your PIN is 4721."), stored("human", "Remember my PIN: 4721")];

describe.runIf(hasRedis())("POST /room/ with an old history left in Redis under the new id", () => {
  let stack: Stack;
  let app: ReturnType<typeof remote>;
  let redis: Redis;
  let sql: ReturnType<typeof postgres> | undefined;
  let keyPrefix: string;
  beforeAll(async () => {
    stack = await startStack();
    app = remote(stack.baseUrl);
    keyPrefix = stack.keyPrefix;
    redis = createClient({ url: stack.redisUrl });
    await redis.connect();
    if (stack.databaseUrl) sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    redis?.destroy();
    await sql?.end();
    await stack?.stop();
  });
  const setRedis = (up: boolean) => setProxy(stack.redisControlUrl, up);
  const newClient = (tag: string) => app.newClient(tag);
  const createRoom = (client: Awaited<ReturnType<typeof newClient>>, title: string) => app.createRoom(client, title);
  const sendMessage = (client: Awaited<ReturnType<typeof newClient>>, roomId: number, message: string) => app.sendMessage(client, roomId, message);

  /** Seeds another user's old conversation under the next `count` room ids. */
  async function seedUpcomingIds(count: number) {
    const probe = await newClient("probe");
    const latest = await createRoom(probe, "probe");
    const ids = Array.from({ length: count }, (_, i) => latest.id + 1 + i);
    for (const id of ids) await redis.lPush(`${keyPrefix}${id}`, OLD_CONVERSATION);
    return ids;
  }

  it("the room starts empty: its first message reaches the model alone", async () => {
    const ids = await seedUpcomingIds(50);
    try {
      const client = await newClient("heir");
      const room = await createRoom(client, "fresh start");
      expect(ids).toContain(room.id);
      expect(await redis.exists(`${keyPrefix}${room.id}`)).toBe(0);

      const res = await sendMessage(client, room.id, "What is my PIN?");
      expect(res.status, res.text).toBe(201);
      expect(res.json.bot.message).toBe("Echo: What is my PIN? [context: 1 messages]");
      const history = await redis.lRange(`${keyPrefix}${room.id}`, 0, -1);
      expect(history).toHaveLength(2);
      expect(history.join("\n")).not.toContain("4721");
    } finally {
      await redis.del(ids.map((id) => `${keyPrefix}${id}`));
    }
  });

  it("with Redis down, the room is created at once and its old key is purged when Redis is back", async () => {
    const ids = await seedUpcomingIds(50);
    try {
      const client = await newClient("outage-heir");
      await setRedis(false);
      const room = await createRoom(client, "created during an outage");
      expect(ids).toContain(room.id);
      if (sql) {
        // Recorded in the purge outbox in the same statement as the room.
        const [pending] = await sql`select room_id from history_purges where room_id = ${room.id}`;
        expect(Number(pending?.room_id)).toBe(room.id);
      }
      expect(await redis.exists(`${keyPrefix}${room.id}`)).toBe(1);

      await setRedis(true);
      // The purge worker carries it out once Redis answers again.
      await eventually(async () => (await redis.exists(`${keyPrefix}${room.id}`)) === 0, 30_000);
      if (sql) expect(await sql`select room_id from history_purges where room_id = ${room.id}`).toEqual([]);
      const res = await sendMessage(client, room.id, "Anything to remember?");
      expect(res.status, res.text).toBe(201);
      expect(res.json.bot.message).toBe("Echo: Anything to remember? [context: 1 messages]");
    } finally {
      await setRedis(true);
      await redis.del(ids.map((id) => `${keyPrefix}${id}`));
    }
  }, 60_000);

  it("POST /room/import/: imported rooms start with no history either; their context is their own logs", async () => {
    const ids = await seedUpcomingIds(50);
    try {
      const client = await newClient("import-heir");
      const res = await app.request("POST", "/room/import/", {
        token: client.token,
        body: {
          version: 1,
          room: { title: "imported" },
          logs: [
            { role: "user", message: "Hello", timestamp: "2025-01-01T00:00:00Z" },
            { role: "bot", message: "Hi!", timestamp: "2025-01-01T00:00:01Z" },
          ],
        },
      });
      expect(res.status, res.text).toBe(201);
      const [room] = res.json as { id: number }[];
      expect(ids).toContain(room!.id);
      expect(await redis.exists(`${keyPrefix}${room!.id}`)).toBe(0);

      // The history is rebuilt from the imported logs (docs/chat-turn.md), never taken from Redis's old key.
      const reply = await sendMessage(client, room!.id, "What is my PIN?");
      expect(reply.status, reply.text).toBe(201);
      expect(reply.json.bot.message).toBe("Echo: What is my PIN? [context: 3 messages]");
      expect((await redis.lRange(`${keyPrefix}${room!.id}`, 0, -1)).join("\n")).not.toContain("4721");
    } finally {
      await redis.del(ids.map((id) => `${keyPrefix}${id}`));
    }
  });

  it.runIf(Boolean(process.env.DATABASE_URL))(
    "Redis back, purge not yet retried: the room's first message carries out the purge before reading",
    async () => {
      const ids = await seedUpcomingIds(50);
      try {
        const client = await newClient("early-heir");
        await setRedis(false);
        const room = await createRoom(client, "created during an outage");
        expect(ids).toContain(room.id);
        // Keep the purge worker away from it: only the turn itself can carry it out now.
        await sql!`update history_purges set next_attempt_at = now() + interval '1 hour' where room_id = ${room.id}`;
        await setRedis(true);
        // Wait until the server talks to Redis again (a probe room gets its history there).
        const probe = await createRoom(client, "probe");
        await eventually(async () => {
          await sendMessage(client, probe.id, "ping");
          return (await redis.lRange(`${keyPrefix}${probe.id}`, 0, -1)).join("\n").includes("ping");
        }, 30_000);
        expect(await redis.exists(`${keyPrefix}${room.id}`)).toBe(1); // the old key is still there

        const res = await sendMessage(client, room.id, "Anything to remember?");
        expect(res.status, res.text).toBe(201);
        expect(res.json.bot.message).toBe("Echo: Anything to remember? [context: 1 messages]");
        expect((await redis.lRange(`${keyPrefix}${room.id}`, 0, -1)).join("\n")).not.toContain("4721");
        expect(await sql!`select room_id from history_purges where room_id = ${room.id}`).toEqual([]);
      } finally {
        await setRedis(true);
        await redis.del(ids.map((id) => `${keyPrefix}${id}`));
      }
    },
    60_000,
  );
});

describe.runIf(inject("databaseUrl") !== "")("POST /room/ after the database was reset under a live history", () => {
  // A server of its own: the test rewinds the room id sequence, which must not disturb others.
  let stack: Stack;
  let db: ReturnType<typeof postgres>;
  beforeAll(async () => {
    stack = await startStack();
    db = postgres(stack.databaseUrl!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await db?.end({ timeout: 5 });
    await stack?.stop();
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    request(method, `${stack.baseUrl}/api/chatbot${path}`, { token, body, headers: { accept: "application/json" } });

  async function client(tag: string) {
    const email = `${tag}-${Date.now()}@example.com`;
    const password = "correct horse battery";
    expect((await call("POST", "/auth/register/", "", { email, password })).status).toBe(201);
    const minted = await call("POST", "/auth/token/", "", { email, password });
    return minted.json.token as string;
  }

  it("a room that gets a used id again does not get that id's conversation", async () => {
    const alice = await client("alice");
    const old = await call("POST", "/room/", alice, { title: "alice's secrets" });
    expect(old.status).toBe(201);
    const said = await call("POST", `/room/${old.json.id}/messages/`, alice, { message: "My PIN is 4721" });
    expect(said.status, said.text).toBe(201);

    // A restore from an older backup: the room is gone from Postgres (its history is not),
    // and the sequence hands out its id again.
    await db`delete from chat_rooms where id = ${old.json.id}`;
    await db.unsafe(`alter table chat_rooms alter column id restart with ${Number(old.json.id)}`);

    const bob = await client("bob");
    const room = await call("POST", "/room/", bob, { title: "bob's room" });
    expect(room.status).toBe(201);
    expect(room.json.id).toBe(old.json.id);
    const res = await call("POST", `/room/${room.json.id}/messages/`, bob, { message: "What is the PIN?" });
    expect(res.status, res.text).toBe(201);
    expect(res.json.bot.message).toBe("Echo: What is the PIN? [context: 1 messages]");
  }, 120_000);
});
