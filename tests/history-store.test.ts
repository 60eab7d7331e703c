import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { fromRedisList, toStoredMessage } from "@/lib/history/langchain-format";
import { createMemoryStore } from "@/lib/history/memory-store";
import { createRedisStore } from "@/lib/history/redis-store";
import type { HistoryMessage, HistoryStore } from "@/lib/history/store";
import { createUpstashStore } from "@/lib/history/upstash-store";
import { startFakeUpstash, type FakeUpstash } from "./support/fake-upstash";

/**
 * docs/history.md: one history interface, three backends (in-process, TCP Redis, Upstash REST),
 * all speaking LangChain's RedisChatMessageHistory format in Redis.
 */

const redisUrl = process.env.REDIS_URL || inject("redisUrl");
const PREFIX = `ainfo-unit-${crypto.randomBytes(4).toString("hex")}:message_store:`;
const TTL = 3600;
const options = { keyPrefix: PREFIX, ttlSeconds: TTL, timeoutMs: 1_000 };

let nextRoom = 1_000 + Math.floor(Math.random() * 1_000_000);
const newRoomId = () => nextRoom++;

const human = (content: string): HistoryMessage => ({ role: "human", content });
const ai = (content: string): HistoryMessage => ({ role: "ai", content });

type Redis = ReturnType<typeof createClient>;
let redis: Redis | undefined;

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

/** The behaviour every backend shares. */
function storeContract(makeStore: () => Promise<{ store: HistoryStore; close: () => Promise<void> }>) {
  let store: HistoryStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await makeStore());
  });
  afterAll(async () => {
    await close();
  });

  it("append then readLast gives the messages oldest first", async () => {
    const room = newRoomId();
    await store.append(room, [human("h1"), ai("a1")]);
    await store.append(room, [human("h2")]);
    await store.append(room, [ai("a2")]);
    expect(await store.readLast(room, 10)).toEqual([human("h1"), ai("a1"), human("h2"), ai("a2")]);
  });

  it("readLast(N) gives only the newest N, still oldest first", async () => {
    const room = newRoomId();
    await store.append(room, [human("1"), ai("2"), human("3"), ai("4"), human("5")]);
    expect(await store.readLast(room, 3)).toEqual([human("3"), ai("4"), human("5")]);
    expect(await store.readLast(room, 1)).toEqual([human("5")]);
    expect(await store.readLast(room, 5)).toHaveLength(5);
    expect(await store.readLast(room, 50)).toHaveLength(5);
  });

  it("an unknown room has no history, and rooms are separate", async () => {
    const a = newRoomId();
    const b = newRoomId();
    expect(await store.readLast(a, 10)).toEqual([]);
    await store.append(a, [human("only in a")]);
    expect(await store.readLast(b, 10)).toEqual([]);
    expect(await store.readLast(a, 10)).toEqual([human("only in a")]);
  });

  it("clear removes the rooms' histories and nothing else", async () => {
    const [a, b, c] = [newRoomId(), newRoomId(), newRoomId()];
    await store.append(a, [human("a")]);
    await store.append(b, [human("b")]);
    await store.append(c, [human("c")]);
    await store.clear([a, b]);
    expect(await store.readLast(a, 10)).toEqual([]);
    expect(await store.readLast(b, 10)).toEqual([]);
    expect(await store.readLast(c, 10)).toEqual([human("c")]);
    await store.clear([]);
    await store.clear([newRoomId()]);
    await store.clear([c]);
    expect(await store.readLast(c, 10)).toEqual([]);
    // A cleared room starts afresh.
    await store.append(a, [ai("again")]);
    expect(await store.readLast(a, 10)).toEqual([ai("again")]);
  });

  it("keeps content exactly: Korean, emoji, newlines, quotes, JSON-looking text", async () => {
    const room = newRoomId();
    const texts = ["제주도 2박 3일 일정을 짜 줘", "👩‍👩‍👧 family 🇰🇷", 'line1\nline2\t"quoted" \\ back', '{"type":"ai"}', " padded  "];
    await store.append(room, texts.map(human));
    expect(await store.readLast(room, 10)).toEqual(texts.map(human));
  });

  it("append of nothing is a no-op", async () => {
    const room = newRoomId();
    await store.append(room, []);
    expect(await store.readLast(room, 10)).toEqual([]);
  });

  it("hands out copies, not its own state", async () => {
    const room = newRoomId();
    const message = human("original");
    await store.append(room, [message]);
    message.content = "mutated";
    const [read] = await store.readLast(room, 1);
    read!.content = "mutated too";
    expect(await store.readLast(room, 1)).toEqual([human("original")]);
  });

  return () => store;
}

/** What only the Redis-backed stores promise: LangChain's exact layout in Redis. */
function redisLayoutContract(getStore: () => HistoryStore) {
  it("uses the key <prefix><roomId>, a list pushed with LPUSH (newest at index 0)", async () => {
    const room = newRoomId();
    await getStore().append(room, [human("first"), ai("second")]);
    await getStore().append(room, [human("third")]);
    const key = `${PREFIX}${room}`;
    expect(await redis!.type(key)).toBe("list");
    const items = (await redis!.lRange(key, 0, -1)).map((item) => JSON.parse(item));
    expect(items.map((item) => item.data.content)).toEqual(["third", "second", "first"]);
    expect(await redis!.keys(`${PREFIX}${room}*`)).toEqual([key]);
  });

  it("stores each message as LangChain's message_to_dict JSON", async () => {
    const room = newRoomId();
    await getStore().append(room, [human("안녕"), ai("반가워요")]);
    const [aiItem, humanItem] = (await redis!.lRange(`${PREFIX}${room}`, 0, -1)).map((item) => JSON.parse(item));
    expect(humanItem).toEqual({
      type: "human",
      data: expect.objectContaining({ content: "안녕", type: "human", additional_kwargs: {}, response_metadata: {} }),
    });
    expect(Object.keys(humanItem).sort()).toEqual(["data", "type"]);
    expect(aiItem).toEqual({
      type: "ai",
      data: expect.objectContaining({ content: "반가워요", type: "ai", additional_kwargs: {}, response_metadata: {} }),
    });
  });

  it("sets a TTL with every append, refreshing it", async () => {
    const room = newRoomId();
    const key = `${PREFIX}${room}`;
    await getStore().append(room, [human("ttl")]);
    const ttl = await redis!.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL);
    await redis!.expire(key, 5);
    await getStore().append(room, [ai("refresh")]);
    expect(await redis!.ttl(key)).toBeGreaterThan(TTL - 60);
  });

  it("reads what a LangChain worker wrote, skipping what it cannot use", async () => {
    const room = newRoomId();
    const key = `${PREFIX}${room}`;
    // Oldest first, as LangChain would LPUSH them one by one.
    await redis!.lPush(key, JSON.stringify({ type: "system", data: { content: "be nice" } }));
    await redis!.lPush(key, JSON.stringify({ type: "human", data: { content: "from python", additional_kwargs: {}, example: false } }));
    await redis!.lPush(key, "not json at all");
    await redis!.lPush(key, JSON.stringify({ type: "ai", data: { content: [{ type: "text", text: "multi" }, { type: "text", text: "part" }] } }));
    expect(await getStore().readLast(room, 10)).toEqual([human("from python"), ai("multipart")]);
  });

  it("clear deletes the key", async () => {
    const room = newRoomId();
    const key = `${PREFIX}${room}`;
    await getStore().append(room, [human("bye")]);
    expect(await redis!.exists(key)).toBe(1);
    await getStore().clear([room]);
    expect(await redis!.exists(key)).toBe(0);
  });
}

describe("in-process store", () => {
  storeContract(async () => {
    const store = createMemoryStore({ ttlSeconds: TTL });
    return { store, close: () => store.close() };
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("expires a room's history after the TTL, and each append refreshes it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = createMemoryStore({ ttlSeconds: 60 });
    await store.append(1, [human("hello")]);
    vi.setSystemTime(Date.now() + 50_000);
    await store.append(1, [ai("still here")]);
    vi.setSystemTime(Date.now() + 50_000);
    expect(await store.readLast(1, 10)).toEqual([human("hello"), ai("still here")]);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await store.readLast(1, 10)).toEqual([]);
    await store.close();
  });
});

describe.runIf(Boolean(redisUrl))("TCP Redis store", () => {
  const getStore = storeContract(async () => {
    const store = createRedisStore(redisUrl, options);
    return { store, close: () => store.close() };
  });
  redisLayoutContract(getStore);

  it("reports its kind", () => {
    expect(getStore().kind).toBe("redis");
  });
});

describe.runIf(Boolean(redisUrl))("Upstash store (REST, against a fake Upstash over the real Redis)", () => {
  let upstash: FakeUpstash;
  const getStore = storeContract(async () => {
    upstash = await startFakeUpstash(redisUrl);
    const store = createUpstashStore(upstash.url, upstash.token, options);
    return {
      store,
      close: async () => {
        await store.close();
        await upstash.close();
      },
    };
  });
  redisLayoutContract(getStore);

  it("reports its kind", () => {
    expect(getStore().kind).toBe("upstash");
  });

  it("shares one history with the TCP store", async () => {
    const tcp = createRedisStore(redisUrl, options);
    try {
      const room = newRoomId();
      await tcp.append(room, [human("via tcp")]);
      await getStore().append(room, [ai("via rest")]);
      expect(await tcp.readLast(room, 10)).toEqual([human("via tcp"), ai("via rest")]);
      expect(await getStore().readLast(room, 10)).toEqual([human("via tcp"), ai("via rest")]);
      await getStore().clear([room]);
      expect(await tcp.readLast(room, 10)).toEqual([]);
    } finally {
      await tcp.close();
    }
  });

  it("fails on a wrong token instead of pretending", async () => {
    const wrong = createUpstashStore(upstash.url, "wrong-token", { ...options, timeoutMs: 500 });
    await expect(wrong.append(newRoomId(), [human("x")])).rejects.toThrow();
    await expect(wrong.clear([newRoomId()])).rejects.toThrow();
  });
});

describe("LangChain format helpers", () => {
  it("round-trips through toStoredMessage and fromRedisList (newest-first input)", () => {
    const messages = [human("one"), ai("two"), human("three")];
    const asRedis = messages.map(toStoredMessage).reverse();
    expect(fromRedisList(asRedis)).toEqual(messages);
    const parsed = JSON.parse(toStoredMessage(ai("x")));
    expect(parsed).toMatchObject({ type: "ai", data: { content: "x", type: "ai", tool_calls: [], invalid_tool_calls: [] } });
  });
});

// --- failure: every call is bounded (docs/security.md) ---

async function elapsed(call: () => Promise<unknown>) {
  const started = Date.now();
  const outcome = await call().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { ...outcome, ms: Date.now() - started };
}

/** A TCP server that accepts connections and never answers: a hung Redis. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("unreachable stores fail fast", () => {
  const fast = { keyPrefix: PREFIX, ttlSeconds: 60, timeoutMs: 300 };

  it("TCP Redis with nothing listening rejects every call within about its time-out", async () => {
    const store = createRedisStore("redis://127.0.0.1:1", fast);
    try {
      for (const call of [() => store.append(1, [human("x")]), () => store.readLast(1, 5), () => store.clear([1])]) {
        const result = await elapsed(call);
        expect(result.ok).toBe(false);
        expect(result.ms).toBeLessThan(2_000);
      }
    } finally {
      const closed = await elapsed(() => store.close());
      expect(closed.ms).toBeLessThan(2_000);
    }
  });

  it("TCP Redis that accepts but never answers rejects within about its time-out", async () => {
    const hung = await silentServer();
    const store = createRedisStore(`redis://127.0.0.1:${hung.port}`, fast);
    try {
      for (const call of [() => store.append(1, [human("x")]), () => store.readLast(1, 5), () => store.clear([1])]) {
        const result = await elapsed(call);
        expect(result.ok).toBe(false);
        expect(result.ms).toBeLessThan(2_000);
      }
    } finally {
      const closed = await elapsed(() => store.close());
      expect(closed.ms).toBeLessThan(2_000);
      await hung.close();
    }
  });

  it("Upstash with nothing listening rejects quickly (no ~12 s of retries)", async () => {
    const store = createUpstashStore("http://127.0.0.1:1", "token", fast);
    for (const call of [() => store.append(1, [human("x")]), () => store.readLast(1, 5), () => store.clear([1])]) {
      const result = await elapsed(call);
      expect(result.ok).toBe(false);
      expect(result.ms).toBeLessThan(3_000);
    }
  });

  it("Upstash that never answers rejects within its time-out and retries", async () => {
    const sockets = new Set<net.Socket>();
    const server = http.createServer(() => undefined);
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const store = createUpstashStore(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "token", fast);
      const result = await elapsed(() => store.clear([1]));
      expect(result.ok).toBe(false);
      expect(result.ms).toBeLessThan(3_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
