import crypto from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMemoryReplyStore } from "@/lib/replies/memory-store";
import { createRedisReplyStore } from "@/lib/replies/redis-store";
import type { ReplyEvent, ReplyStore } from "@/lib/replies/store";
import { createUpstashReplyStore } from "@/lib/replies/upstash-store";
import { startFakeUpstash, type FakeUpstash } from "./support/fake-upstash";

/**
 * docs/chat-turn.md#replies-that-outlive-the-request: one reply-store interface (turn queue and lock, reply slots, the relay of a
 * reply's events, stop flags, expiring values), three backends, one contract.
 */

const redisUrl = process.env.REDIS_URL || inject("redisUrl");
const PREFIX = `ainfo-unit-${crypto.randomBytes(4).toString("hex")}:replies:`;
const options = { keyPrefix: PREFIX, timeoutMs: 1_000 };

let next = 1_000 + Math.floor(Math.random() * 1_000_000);
const newId = () => next++;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const user = (id: number) => ({
  ...{ id, chatroom: 1, role: "user" as const, message: `q${id}`, timestamp: "2026-11-25T00:00:00Z", stopped: false },
  ...{ model: null, usage: null, feedback: null, feedback_comment: null },
});

let redis: ReturnType<typeof createClient> | undefined;
beforeAll(async () => {
  if (!redisUrl) return;
  redis = createClient({ url: redisUrl });
  await redis.connect();
});
afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) await redis.del(keys);
  redis.destroy();
});

function storeContract(makeStore: () => Promise<{ store: ReplyStore; close: () => Promise<void> }>) {
  let store: ReplyStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await makeStore());
  });
  afterAll(async () => {
    await close();
  });

  it("gives a room's turn to one holder at a time, then to the waiters in the order they came", async () => {
    const room = newId();
    expect(await store.tryTakeTurn(room, "a", 5_000)).toBe(true);
    expect(await store.tryTakeTurn(room, "a", 5_000)).toBe(true); // holding already
    expect(await store.currentTurn(room)).toBe("a");
    // b, then c, then d join the queue while a holds the turn.
    for (const token of ["b", "c", "d"]) expect(await store.tryTakeTurn(room, token, 5_000)).toBe(false);
    await store.releaseTurn(room, "a");
    expect(await store.currentTurn(room)).toBeUndefined();
    // c and d are not first in line: they must not overtake b.
    expect(await store.tryTakeTurn(room, "d", 5_000)).toBe(false);
    expect(await store.tryTakeTurn(room, "c", 5_000)).toBe(false);
    expect(await store.tryTakeTurn(room, "b", 5_000)).toBe(true);
    await store.releaseTurn(room, "b");
    expect(await store.tryTakeTurn(room, "d", 5_000)).toBe(false);
    expect(await store.tryTakeTurn(room, "c", 5_000)).toBe(true);
    await store.releaseTurn(room, "c");
    expect(await store.tryTakeTurn(room, "d", 5_000)).toBe(true);
    await store.releaseTurn(room, "d");
    // Rooms are independent.
    const other = newId();
    expect(await store.tryTakeTurn(room, "x", 5_000)).toBe(true);
    expect(await store.tryTakeTurn(other, "y", 5_000)).toBe(true);
  });

  it("frees a turn whose holder stopped renewing it, and skips a waiter that went away", async () => {
    const room = newId();
    expect(await store.tryTakeTurn(room, "dead-holder", 300)).toBe(true);
    expect(await store.tryTakeTurn(room, "dead-waiter", 300)).toBe(false);
    expect(await store.tryTakeTurn(room, "alive", 5_000)).toBe(false);
    expect(await store.renewTurn(room, "someone-else", 5_000)).toBe(false);
    await sleep(450);
    expect(await store.currentTurn(room)).toBeUndefined();
    expect(await store.renewTurn(room, "dead-holder", 5_000)).toBe(false);
    expect(await store.tryTakeTurn(room, "alive", 5_000)).toBe(true);
  });

  it("keeps a renewed turn past its first lease", async () => {
    const room = newId();
    expect(await store.tryTakeTurn(room, "holder", 400)).toBe(true);
    for (let i = 0; i < 3; i++) {
      await sleep(200);
      expect(await store.renewTurn(room, "holder", 400)).toBe(true);
    }
    expect(await store.currentTurn(room)).toBe("holder");
    expect(await store.tryTakeTurn(room, "next", 400)).toBe(false);
  });

  it("counts a user's reply slots up to the limit; a release or an expired lease frees one", async () => {
    const userId = newId();
    expect(await store.takeSlot(userId, "r1", 2, 5_000)).toBe(true);
    expect(await store.takeSlot(userId, "r2", 2, 300)).toBe(true);
    expect(await store.takeSlot(userId, "r3", 2, 5_000)).toBe(false);
    expect(await store.takeSlot(userId, "r1", 2, 5_000)).toBe(true); // renewing one's own
    expect(await store.takeSlot(newId(), "other user", 2, 5_000)).toBe(true);
    await store.releaseSlot(userId, "r1");
    expect(await store.takeSlot(userId, "r3", 2, 5_000)).toBe(true);
    expect(await store.takeSlot(userId, "r4", 2, 5_000)).toBe(false);
    await sleep(450); // r2's lease ran out: its process died
    expect(await store.takeSlot(userId, "r4", 2, 5_000)).toBe(true);
  });

  it("relays a reply's events in order from any cursor, and a reader waits for the next ones", async () => {
    const reply = crypto.randomUUID();
    const first: ReplyEvent[] = [{ type: "user", log: user(1) }, { type: "delta", text: "안녕 " }];
    await store.publish(reply, first, 60_000);
    const all = await store.read(reply, "0", 0);
    expect(all.events).toEqual(first);
    const none = await store.read(reply, all.cursor, 0);
    expect(none.events).toEqual([]);
    expect(none.cursor).toBe(all.cursor);

    const waiting = store.read(reply, all.cursor, 2_000);
    await sleep(100);
    const more: ReplyEvent[] = [{ type: "delta", text: "😀 \"quoted\"\n" }, { type: "done", log: null }];
    await store.publish(reply, more, 60_000);
    let got = await waiting;
    if (got.events.length === 0) got = await store.read(reply, all.cursor, 0); // backends that poll
    expect(got.events).toEqual(more);
    expect((await store.read(crypto.randomUUID(), "0", 0)).events).toEqual([]);
  });

  it("expires a reply's events after their TTL", async () => {
    const reply = crypto.randomUUID();
    await store.publish(reply, [{ type: "delta", text: "soon gone" }], 200);
    await sleep(350);
    expect((await store.read(reply, "0", 0)).events).toEqual([]);
  });

  it("raises a stop flag for one reply only", async () => {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    expect(await store.isStopRequested(a)).toBe(false);
    await store.requestStop(a, 60_000);
    expect(await store.isStopRequested(a)).toBe(true);
    expect(await store.isStopRequested(b)).toBe(false);
  });

  it("sets values only when absent, with an expiry", async () => {
    const key = `k-${newId()}`;
    expect(await store.get(key)).toBeUndefined();
    expect(await store.setIfAbsent(key, "first", 300)).toBe(true);
    expect(await store.setIfAbsent(key, "second", 300)).toBe(false);
    expect(await store.get(key)).toBe("first");
    await store.set(key, "replaced", 60_000);
    expect(await store.get(key)).toBe("replaced");
    await store.delete(key);
    expect(await store.setIfAbsent(key, "again", 200)).toBe(true);
    await sleep(350);
    expect(await store.get(key)).toBeUndefined();
  });
}

describe("in-process reply store", () => {
  storeContract(async () => {
    const store = createMemoryReplyStore();
    return { store, close: () => store.close() };
  });
});

describe.runIf(redisUrl)("TCP Redis reply store", () => {
  storeContract(async () => {
    const store = createRedisReplyStore(redisUrl!, options);
    return { store, close: () => store.close() };
  });

  it("keeps a room's keys under the prefix with one hash tag", async () => {
    const store = createRedisReplyStore(redisUrl!, options);
    const room = newId();
    await store.tryTakeTurn(room, "holder", 5_000);
    await store.tryTakeTurn(room, "waiter", 5_000);
    const keys = (await redis!.keys(`${PREFIX}room:{r${room}}:*`)).sort();
    expect(keys).toEqual(["queue", "seq", "turn", "waiters"].map((k) => `${PREFIX}room:{r${room}}:${k}`));
    expect(await redis!.get(`${PREFIX}room:{r${room}}:turn`)).toBe("holder");
    expect(await redis!.pTTL(`${PREFIX}room:{r${room}}:turn`)).toBeGreaterThan(0);
    await store.close();
  });
});

describe.runIf(redisUrl)("Upstash reply store (REST, over the real Redis)", () => {
  let upstash: FakeUpstash;
  storeContract(async () => {
    upstash = await startFakeUpstash(redisUrl!);
    const store = createUpstashReplyStore(upstash.url, upstash.token, options);
    return { store, close: async () => (await store.close(), await upstash.close()) };
  });
});
