import fs from "node:fs";
import postgres from "postgres";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../support/api";
import { remote, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// A bounded soak: USERS simulated users at once, each with a room of their own, sending
// MESSAGES messages one after another (JSON mode), against a server of this file's own.
// Afterwards every exchange must be stored exactly once, in order, each reply answering its
// own message with the right context; no 5xx; and the server's memory must not have run away.
const USERS = 50;
const MESSAGES = 20;
const HISTORY = 6; // HISTORY_MAX_MESSAGES of the stack

let stack: Stack;
let app: Remote;
let sql: postgres.Sql | undefined;

beforeAll(async () => {
  stack = await startStack({ env: { HISTORY_MAX_MESSAGES: String(HISTORY), MAX_CONCURRENT_STREAMS: "3" } });
  app = remote(stack.baseUrl);
  if (stack.databaseUrl) sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  await stack?.stop();
});

/** Resident memory of the server process, in MB (Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

const messageText = (user: number, i: number) => `user ${user} message ${i} 안녕 ${"x".repeat(i * 10 + 1)}`;
/** The fake model echoes the message with the number of messages it was sent (context + this one). */
const expectedReply = (user: number, i: number) =>
  `Echo: ${messageText(user, i)} [context: ${Math.min(2 * i, HISTORY) + 1} messages]`;

describe.runIf(process.platform === "linux")("soak", () => {
  it(`${USERS} users × ${MESSAGES} messages: nothing lost, duplicated or reordered; no 5xx; bounded memory`, async () => {
    const started = Date.now();
    const failures: string[] = [];
    const record = (what: string, res: { status: number; text: string }, expected: number) => {
      if (res.status !== expected) failures.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
    };

    // Warm-up, all users at once: sign up, create a room, send the first message (which
    // also names the room). Memory is measured after it, once every code path has run.
    const users: { client: Client; roomId: number }[] = await Promise.all(
      Array.from({ length: USERS }, async (_, u) => {
        const client = await app.newClient(`soak${u}`);
        const room = await app.createRoom(client);
        const res = await app.sendMessage(client, room.id, messageText(u, 0));
        record(`user ${u} message 0`, res, 201);
        return { client, roomId: room.id };
      }),
    );
    const rssBefore = rssMb(stack.pid!);

    await Promise.all(
      users.map(async ({ client, roomId }, u) => {
        for (let i = 1; i < MESSAGES; i++) {
          const res = await app.sendMessage(client, roomId, messageText(u, i));
          record(`user ${u} message ${i}`, res, 201);
          if (res.status === 201 && res.json.bot.message !== expectedReply(u, i)) {
            failures.push(`user ${u} message ${i}: got reply ${JSON.stringify(res.json.bot.message)}`);
          }
        }
      }),
    );
    const loadSeconds = (Date.now() - started) / 1000;
    const rssAfter = rssMb(stack.pid!);
    console.log(
      `[soak] ${USERS * MESSAGES} messages in ${loadSeconds.toFixed(1)} s; server RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB`,
    );
    expect(failures).toEqual([]);

    // Every room: exactly its 2 × MESSAGES logs, alternating, in the order sent, each reply
    // answering the message before it.
    await Promise.all(
      users.map(async ({ client, roomId }, u) => {
        const logs = await app.request("GET", `/room/${roomId}/logs/`, { token: client.token });
        expect(logs.status).toBe(200);
        const expected = Array.from({ length: MESSAGES }, (_, i) => [
          ["user", messageText(u, i)],
          ["bot", expectedReply(u, i)],
        ]).flat();
        expect(logs.json.map((l: { role: string; message: string }) => [l.role, l.message])).toEqual(expected);
        expect(new Set(logs.json.map((l: { id: number }) => l.id)).size).toBe(2 * MESSAGES);
      }),
    );
    if (sql) {
      const [row] = await sql`select count(*)::int as n from chat_logs`;
      expect(row!.n).toBe(USERS * MESSAGES * 2);
      const [rooms] = await sql`select count(*)::int as n from chat_rooms`;
      expect(rooms!.n).toBe(USERS);
    }

    // The Redis history of each room is the tail of its logs, in order, nothing interleaved.
    if (stack.redisUrl) {
      const redis = createClient({ url: stack.redisUrl });
      await redis.connect();
      try {
        for (const [u, { roomId }] of users.entries()) {
          const items = await redis.lRange(`${stack.keyPrefix}${roomId}`, 0, -1);
          const history = items.map((item) => JSON.parse(item).data.content as string).reverse();
          expect(history.length).toBeGreaterThanOrEqual(2);
          const all = Array.from({ length: MESSAGES }, (_, i) => [messageText(u, i), expectedReply(u, i)]).flat();
          expect(history).toEqual(all.slice(all.length - history.length));
        }
      } finally {
        redis.destroy();
      }
    }

    // Generous: a leak of even a few KB per request over this run would show; GC noise won't.
    expect(rssAfter).toBeLessThan(rssBefore * 2 + 150);
  }, 180_000);
});
