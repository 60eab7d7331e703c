import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import {
  createRoom,
  eventually,
  hasRedis,
  newClient,
  parseSse,
  request,
  sendMessage,
  streamMessage,
  type Client,
} from "../support/api";

// The suite's server runs with HISTORY_MAX_MESSAGES=6 and the fake model (tests/support/fake-llm.ts),
// which answers `Echo: <message> [context: N messages]`, N counting every non-system message it got.

type FakeRequest = { messages: { role: string; content: string }[]; stream?: boolean };
async function modelRequests(): Promise<FakeRequest[]> {
  const base = inject("llmUrl").replace(/\/v1$/, "");
  return (await fetch(`${base}/__requests`)).json();
}
/** The chat request the model received for this exact user message. */
async function requestFor(message: string) {
  const all = await modelRequests();
  return all.find((r) => r.stream && r.messages.at(-1)?.content === message);
}

let alice: Client;
let redis: ReturnType<typeof createClient> | undefined;
const key = (roomId: number) => `${inject("keyPrefix")}${roomId}`;
const storedHistory = async (roomId: number) =>
  (await redis!.lRange(key(roomId), 0, -1)).map((item) => JSON.parse(item) as { type: string; data: { content: string } });

beforeAll(async () => {
  alice = await newClient("alice");
  if (hasRedis()) {
    redis = createClient({ url: inject("redisUrl") });
    await redis.connect();
  }
});
afterAll(async () => {
  redis?.destroy();
});

describe("POST /room/{id}/messages/ — JSON mode", () => {
  it("stores the user log, answers 201 {user, bot} and appends both turns to the history", async () => {
    const room = await createRoom(alice);
    const res = await sendMessage(alice, room.id, "hello there");
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ chatroom: room.id, role: "user", message: "hello there", stopped: false });
    expect(res.json.bot).toMatchObject({ chatroom: room.id, role: "bot", message: "Echo: hello there [context: 1 messages]" });
    expect(Object.keys(res.json.user).sort()).toEqual(["chatroom", "feedback", "feedback_comment", "id", "message", "model", "role", "stopped", "timestamp", "usage"]);
    expect(res.json.user.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json.map((l: { role: string }) => l.role)).toEqual(["user", "bot"]);
    // The answer is the stored logs exactly: same types (numeric ids), same timestamps.
    expect(logs.json).toEqual([res.json.user, res.json.bot]);

    if (redis) {
      const history = await storedHistory(room.id);
      // LPUSH: newest first, LangChain's message_to_dict shape.
      expect(history.map((m) => [m.type, m.data.content])).toEqual([
        ["ai", "Echo: hello there [context: 1 messages]"],
        ["human", "hello there"],
      ]);
      expect(await redis.ttl(key(room.id))).toBeGreaterThan(0);
    }
  });

  it("sends the earlier turns to the model", async () => {
    const room = await createRoom(alice);
    await sendMessage(alice, room.id, "my name is Minji");
    const second = await sendMessage(alice, room.id, "what is my name?");
    expect(second.json.bot.message).toBe("Echo: what is my name? [context: 3 messages]");
    const sent = await requestFor("what is my name?");
    expect(sent?.messages.filter((m) => m.role !== "system")).toEqual([
      { role: "user", content: "my name is Minji" },
      { role: "assistant", content: "Echo: my name is Minji [context: 1 messages]" },
      { role: "user", content: "what is my name?" },
    ]);
    expect(sent?.messages[0]?.role).toBe("system");
  });

  it("caps the context at HISTORY_MAX_MESSAGES (6) earlier messages", async () => {
    const room = await createRoom(alice);
    for (let i = 1; i <= 5; i++) expect((await sendMessage(alice, room.id, `turn ${i}`)).status).toBe(201);
    const sent = await requestFor("turn 5");
    const turns = sent!.messages.filter((m) => m.role !== "system");
    expect(turns).toHaveLength(7);
    expect(turns[0]).toEqual({ role: "user", content: "turn 2" });
    expect(turns.at(-1)).toEqual({ role: "user", content: "turn 5" });
  });

  it.runIf(hasRedis())("rebuilds the context from Postgres when the Redis key is lost", async () => {
    const room = await createRoom(alice);
    await sendMessage(alice, room.id, "remember apples");
    await redis!.del(key(room.id));
    const res = await sendMessage(alice, room.id, "what fruit?");
    expect(res.json.bot.message).toBe("Echo: what fruit? [context: 3 messages]");
    // The rebuilt context was written back, followed by the new exchange.
    const history = await storedHistory(room.id);
    expect(history.map((m) => m.data.content).reverse()).toEqual([
      "remember apples",
      "Echo: remember apples [context: 1 messages]",
      "what fruit?",
      "Echo: what fruit? [context: 3 messages]",
    ]);
  });

  it("answers 502 with a detail when the model fails, keeping the user log and writing no bot log", async () => {
    const room = await createRoom(alice);
    const res = await sendMessage(alice, room.id, "please FAIL now");
    expect(res.status).toBe(502);
    expect(res.json.detail).toMatch(/model/i);
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json.map((l: { role: string; message: string }) => [l.role, l.message])).toEqual([["user", "please FAIL now"]]);
    if (redis) expect(await redis.exists(key(room.id))).toBe(0);
  });

  it("answers 504 when the model does not answer in time (LLM_TIMEOUT_MS)", async () => {
    const room = await createRoom(alice);
    const started = Date.now();
    const res = await sendMessage(alice, room.id, "HANG please");
    expect(res.status).toBe(504);
    expect(res.json.detail).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(20_000);
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json).toHaveLength(1);
  });

  it.each([
    ["empty", ""],
    ["blank", "   \n "],
    ["over 32,000 characters", "가".repeat(32_001)],
    ["over 32,000 emoji", "😀".repeat(32_001)],
    ["with a NUL byte", "a\u0000b"],
    ["not a string", 42],
  ])("refuses a message that is %s with a DRF field error and stores nothing", async (_name, message) => {
    const room = await createRoom(alice);
    const res = await request("POST", `/room/${room.id}/messages/`, { token: alice.token, body: { message } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ message: [expect.any(String)] });
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json).toEqual([]);
  });

  it("accepts exactly 32,000 characters of any script, and refuses a larger body with 413", async () => {
    const room = await createRoom(alice);
    for (const char of ["a", "한", "😀"]) {
      const res = await sendMessage(alice, room.id, char.repeat(32_000));
      expect(res.status).toBe(201);
      expect(Array.from(res.json.user.message as string)).toHaveLength(32_000);
    }
    const huge = await request("POST", `/room/${room.id}/messages/`, { token: alice.token, body: { message: "a".repeat(300_000) } });
    expect(huge.status).toBe(413);
    expect(huge.json.detail).toMatch(/too large/);
  });

  it("is 404 for another user's room and stores nothing there", async () => {
    const room = await createRoom(alice);
    const mallory = await newClient("mallory");
    const res = await sendMessage(mallory, room.id, "hi");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: "Not found." });
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json).toEqual([]);
  });

  it("answers two messages sent at once to one room, in turn, losing nothing", async () => {
    const room = await createRoom(alice);
    const [a, b] = await Promise.all([sendMessage(alice, room.id, "first A"), sendMessage(alice, room.id, "second B")]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.bot.message).toContain("Echo: first A");
    expect(b.json.bot.message).toContain("Echo: second B");
    // Served one after the other: whichever went second saw the other's exchange.
    const contexts = [a, b].map((r) => Number(/context: (\d+)/.exec(r.json.bot.message)![1])).sort();
    expect(contexts).toEqual([1, 3]);
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json).toHaveLength(4);
    if (redis) {
      const history = (await storedHistory(room.id)).reverse();
      expect(history).toHaveLength(4);
      // Pairs stay together: each human turn is followed by the reply to it.
      for (const i of [0, 2]) {
        expect(history[i]!.type).toBe("human");
        expect(history[i + 1]!.data.content).toContain(`Echo: ${history[i]!.data.content}`);
      }
    }
  });
});

describe("POST /room/{id}/messages/ — Server-Sent Events", () => {
  it("streams user, delta…, title and done events; the deltas add up to the stored reply", async () => {
    const room = await createRoom(alice);
    const res = await streamMessage(alice, room.id, "제주도 여행 계획 세워 줘");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events[0]).toMatchObject({ event: "user", data: { role: "user", message: "제주도 여행 계획 세워 줘" } });
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.role).toBe("bot");
    expect(deltas.map((e) => e.data.text).join("")).toBe(done.data.message);
    const title = events.find((e) => e.event === "title");
    expect(title?.data).toMatchObject({ id: room.id, title: "제주도 여행 계획" });
  });

  it("sends an error event (no bot log) when the model fails", async () => {
    const room = await createRoom(alice);
    const res = await streamMessage(alice, room.id, "FAIL in a stream");
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(["user", "error"]);
    expect(events[1]!.data).toMatchObject({ status: 502, detail: expect.stringMatching(/model/i) });
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json).toHaveLength(1);
  });

  it("a client that disconnects does not stop the reply: it is stored in full (docs/chat-turn.md#completion)", async () => {
    const room = await createRoom(alice);
    const abort = new AbortController();
    const res = await streamMessage(alice, room.id, "SLOW story please", abort.signal);
    const reader = res.body!.getReader();
    let received = "";
    while ((received.match(/event: delta/g) ?? []).length < 5) {
      received += new TextDecoder().decode((await reader.read()).value);
    }
    abort.abort();
    const bot = await eventually(async () => {
      const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
      return logs.json.find((l: { role: string }) => l.role === "bot");
    });
    expect(bot.stopped).toBe(false);
    expect(bot.message.split(" ")).toHaveLength(100);
  });

  it("POST /stop/ keeps the partial reply, marked as stopped", async () => {
    const room = await createRoom(alice);
    const res = await streamMessage(alice, room.id, "SLOW story to stop");
    const reader = res.body!.getReader();
    let received = "";
    while ((received.match(/event: delta/g) ?? []).length < 5) {
      received += new TextDecoder().decode((await reader.read()).value);
    }
    const stopped = await request("POST", `/room/${room.id}/stop/`, { token: alice.token });
    expect(stopped.json.stopped).toBe(true);
    const logs = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    const bot = logs.json.find((l: { role: string }) => l.role === "bot");
    expect(bot).toEqual(stopped.json.bot);
    expect(bot.stopped).toBe(true);
    expect(bot.message).toMatch(/^word0 word1 word2 word3/);
    expect(bot.message.split(" ").length).toBeLessThan(100);
  });

  it.runIf(hasRedis())("leaves no history behind when the room is deleted mid-reply", async () => {
    const room = await createRoom(alice);
    const res = await streamMessage(alice, room.id, "SLOW and then deleted");
    const reader = res.body!.getReader();
    await reader.read();
    expect((await request("DELETE", `/room/${room.id}/`, { token: alice.token })).status).toBe(204);
    while (!(await reader.read()).done) {
      // drain until the server ends the stream
    }
    expect(await redis!.exists(key(room.id))).toBe(0);
    expect((await request("GET", `/room/${room.id}/logs/`, { token: alice.token })).status).toBe(404);
  });
});

describe("auto-title (docs/chat-turn.md#auto-title)", () => {
  it("names a room with the default title after its first exchange, and only then", async () => {
    const room = await createRoom(alice);
    expect(room.title).toBe("새 채팅");
    await sendMessage(alice, room.id, "plan a trip to Busan");
    let detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(detail.json.title).toBe("plan a trip");
    await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { title: "새 채팅" } });
    await sendMessage(alice, room.id, "second message here");
    detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(detail.json.title).toBe("새 채팅");
  });

  it("never overwrites a rename", async () => {
    const room = await createRoom(alice, "My own title");
    await sendMessage(alice, room.id, "hello world again");
    const detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(detail.json.title).toBe("My own title");
  });
});

describe("concurrent streams per user", () => {
  it("refuses a 4th reply in progress with 429 and Retry-After, storing nothing for it", async () => {
    const bob = await newClient("bob");
    const rooms = await Promise.all([1, 2, 3, 4].map(() => createRoom(bob)));
    const aborts = rooms.map(() => new AbortController());
    const streams = await Promise.all(rooms.slice(0, 3).map((r, i) => streamMessage(bob, r.id, "SLOW one", aborts[i]!.signal)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const fourth = await sendMessage(bob, rooms[3]!.id, "one more");
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(fourth.json.detail).toMatch(/at most 3/);
    for (const a of aborts) a.abort();
    const logs = await request("GET", `/room/${rooms[3]!.id}/logs/`, { token: bob.token });
    expect(logs.json).toEqual([]);
    // Disconnecting frees nothing (the replies go on); stopping them does.
    expect((await sendMessage(bob, rooms[3]!.id, "still full")).status).toBe(429);
    for (const r of rooms.slice(0, 3)) expect((await request("POST", `/room/${r.id}/stop/`, { token: bob.token })).json.stopped).toBe(true);
    expect((await sendMessage(bob, rooms[3]!.id, "now there is room")).status).toBe(201);
  });
});
