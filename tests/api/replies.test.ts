import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createRoom,
  eventually,
  newClient,
  parseSse,
  sseReader,
  request,
  sendMessage,
  streamMessage,
  type Client,
  type SseEvent,
} from "../support/api";

// docs/chat-turn.md point 1 and §6a on one server (the suite's: with REDIS_URL the shared store is
// Redis, else the in-process one). The fake model: SLOW = 100 words, one every 30 ms;
// CRAWL = the same, one every 150 ms.

const FULL = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");

let alice: Client;
beforeAll(async () => {
  alice = await newClient("alice");
});

const logsOf = async (client: Client, roomId: number) =>
  (await request("GET", `/room/${roomId}/logs/`, { token: client.token })).json as { id: number; role: string; message: string; stopped: boolean }[];

const reader = sseReader;
const deltas = (events: SseEvent[]) => events.filter((e) => e.event === "delta").length;
const textOf = (events: SseEvent[]) =>
  (events.find((e) => e.event === "snapshot")?.data.text ?? "") +
  events
    .filter((e) => e.event === "delta")
    .map((e) => e.data.text)
    .join("");

const follow = (client: Client, roomId: number) =>
  fetch(api(`/room/${roomId}/stream/`), { headers: { ...client.headers, accept: "text/event-stream" } });
const stop = (client: Client, roomId: number) => request("POST", `/room/${roomId}/stop/`, { token: client.token });

describe("a reply belongs to the room, not to the request", () => {
  it("runs to completion and is stored in full when the client disconnects", async () => {
    const room = await createRoom(alice);
    const abort = new AbortController();
    const res = await streamMessage(alice, room.id, "SLOW story please", abort.signal);
    await reader(res).readUntil((events) => deltas(events) >= 5);
    abort.abort();
    const bot = await eventually(async () => (await logsOf(alice, room.id)).find((l) => l.role === "bot"));
    expect(bot).toMatchObject({ message: FULL, stopped: false });
  });

  it("GET /stream/ is 204 when nothing is in progress, and 404 for a room that is not yours", async () => {
    const room = await createRoom(alice);
    expect((await follow(alice, room.id)).status).toBe(204);
    await sendMessage(alice, room.id, "hello");
    expect((await follow(alice, room.id)).status).toBe(204);
    const mallory = await newClient("mallory");
    const res = await follow(mallory, room.id);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not found." });
    expect((await stop(mallory, room.id)).status).toBe(404);
  });

  it("GET /stream/ mid-reply: a snapshot of the question and the text so far, then the rest, ending with the stored Log", async () => {
    const room = await createRoom(alice);
    const sender = reader(await streamMessage(alice, room.id, "SLOW tell me more"));
    await sender.readUntil((events) => deltas(events) >= 10);

    const res = await follow(alice, room.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await reader(res).rest();
    expect(events[0]!.event).toBe("snapshot");
    expect(events[0]!.data.user).toMatchObject({ role: "user", message: "SLOW tell me more", chatroom: room.id });
    expect(events[0]!.data.text).toMatch(/^word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 /);
    expect(events[0]!.data.text.length).toBeLessThan(FULL.length);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data).toMatchObject({ role: "bot", message: FULL, stopped: false });
    expect(textOf(events)).toBe(FULL);
    expect(events.filter((e) => e.event === "done")).toHaveLength(1);

    const original = await sender.rest();
    expect(original.at(-1)).toEqual(done);
    expect((await follow(alice, room.id)).status).toBe(204);
  });

  it("POST /stop/ stores the partial reply as stopped; the sender and every follower end with that Log", async () => {
    const room = await createRoom(alice);
    const sender = reader(await streamMessage(alice, room.id, "CRAWL a long tale"));
    await sender.readUntil((events) => deltas(events) >= 3);
    const follower = reader(await follow(alice, room.id));
    await follower.readUntil((events) => events.length >= 1);

    const stopped = await stop(alice, room.id);
    expect(stopped.status).toBe(200);
    expect(stopped.json.stopped).toBe(true);
    expect(stopped.json.bot).toMatchObject({ role: "bot", stopped: true, chatroom: room.id });
    expect(stopped.json.bot.message).toMatch(/^word0 word1 word2/);
    expect(stopped.json.bot.message.length).toBeLessThan(FULL.length);

    for (const events of [await sender.rest(), await follower.rest()]) {
      expect(events.at(-1)).toEqual({ event: "done", data: stopped.json.bot });
    }
    const logs = await logsOf(alice, room.id);
    expect(logs.map((l) => [l.role, l.stopped])).toEqual([
      ["user", false],
      ["bot", true],
    ]);
    expect(logs[1]!.message).toBe(stopped.json.bot.message);

    // Nothing in progress any more.
    expect((await stop(alice, room.id)).json).toEqual({ stopped: false });
    expect((await follow(alice, room.id)).status).toBe(204);
  });

  it("POST /stop/ before the model said anything stores no bot log and answers bot: null", async () => {
    const room = await createRoom(alice);
    const sender = reader(await streamMessage(alice, room.id, "HANG before a word"));
    await sender.readUntil((events) => events.some((e) => e.event === "user"));
    const stopped = await stop(alice, room.id);
    expect(stopped.json).toEqual({ stopped: true, bot: null });
    expect((await sender.rest()).map((e) => e.event)).toEqual(["user", "done"]);
    expect(sender.events.at(-1)!.data).toBeNull();
    expect((await logsOf(alice, room.id)).map((l) => l.role)).toEqual(["user"]);
  });

  it("POST /stop/ with nothing in progress answers {stopped: false}", async () => {
    const room = await createRoom(alice);
    const res = await stop(alice, room.id);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stopped: false });
  });

  it("a JSON-mode request whose reply is stopped answers 201 with the stopped Log", async () => {
    const room = await createRoom(alice);
    const pending = sendMessage(alice, room.id, "CRAWL and wait");
    const follower = reader(await eventually(async () => {
      const res = await follow(alice, room.id);
      return res.status === 200 ? res : undefined;
    }));
    await follower.readUntil((events) => deltas(events) >= 2);
    const stopped = await stop(alice, room.id);
    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.json.bot).toEqual(stopped.json.bot);
    expect(res.json.bot.stopped).toBe(true);
  });
});

describe("one order per room (docs/chat-turn.md point 1)", () => {
  it("stores a waiting message only when its turn begins; the logs read user, bot, user, bot", async () => {
    const room = await createRoom(alice);
    const first = reader(await streamMessage(alice, room.id, "SLOW first question"));
    await first.readUntil((events) => deltas(events) >= 3);
    const second = sendMessage(alice, room.id, "second question");
    // While the first reply runs, the second message waits, unstored.
    await new Promise((r) => setTimeout(r, 300));
    expect((await logsOf(alice, room.id)).map((l) => l.message)).toEqual(["SLOW first question"]);

    const answered = await second;
    expect(answered.status).toBe(201);
    // It saw the whole first exchange.
    expect(answered.json.bot.message).toBe("Echo: second question [context: 3 messages]");
    const logs = await logsOf(alice, room.id);
    expect(logs.map((l) => [l.role, l.message])).toEqual([
      ["user", "SLOW first question"],
      ["bot", FULL],
      ["user", "second question"],
      ["bot", "Echo: second question [context: 3 messages]"],
    ]);
  });
});

describe("Idempotency-Key (docs/chat-turn.md#replies-that-outlive-the-request)", () => {
  const send = (client: Client, roomId: number, message: unknown, key: string, accept = "application/json") =>
    request("POST", `/room/${roomId}/messages/`, {
      token: client.token,
      body: { message },
      headers: { accept, "idempotency-key": key },
    });
  const key = () => `key-${Math.random().toString(36).slice(2)}`;

  it("a repeated JSON send answers the first response and stores nothing new", async () => {
    const room = await createRoom(alice);
    const k = key();
    const first = await send(alice, room.id, "only once", k);
    expect(first.status).toBe(201);
    const again = await send(alice, room.id, "only once", k);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await logsOf(alice, room.id)).toHaveLength(2);
  });

  it("a repeated SSE send of a finished turn replays user then done", async () => {
    const room = await createRoom(alice);
    const k = key();
    const first = await send(alice, room.id, "stream once", k);
    const replay = await send(alice, room.id, "stream once", k, "text/event-stream");
    expect(replay.status).toBe(200);
    expect(parseSse(replay.text)).toEqual([
      { event: "user", data: first.json.user },
      { event: "done", data: first.json.bot },
    ]);
    expect(await logsOf(alice, room.id)).toHaveLength(2);
  });

  it("a repeat while the first is still running follows it (SSE) or waits for its answer (JSON)", async () => {
    const room = await createRoom(alice);
    const k = key();
    const first = reader(
      await fetch(api(`/room/${room.id}/messages/`), {
        method: "POST",
        headers: { ...alice.headers, "content-type": "application/json", accept: "text/event-stream", "idempotency-key": k },
        body: JSON.stringify({ message: "SLOW once" }),
      }),
    );
    await first.readUntil((events) => deltas(events) >= 3);
    const [sse, json] = await Promise.all([send(alice, room.id, "SLOW once", k, "text/event-stream"), send(alice, room.id, "SLOW once", k)]);
    const followed = parseSse(sse.text);
    expect(followed[0]!.event).toBe("snapshot");
    expect(textOf(followed)).toBe(FULL);
    const original = await first.rest();
    expect(followed.at(-1)).toEqual(original.at(-1));
    expect(json.status).toBe(201);
    expect(json.json.bot).toEqual(original.at(-1)!.data);
    expect(await logsOf(alice, room.id)).toHaveLength(2);
  });

  it("a repeat of a send whose model failed replays the failure (JSON) or user then error (SSE), storing nothing new", async () => {
    const room = await createRoom(alice);
    const k = key();
    const first = await send(alice, room.id, "FAIL_NOW once", k);
    expect(first.status).toBe(502);
    const again = await send(alice, room.id, "FAIL_NOW once", k);
    expect(again.status).toBe(502);
    expect(again.json).toEqual(first.json);
    const logs = await logsOf(alice, room.id);
    expect(logs.map((l) => l.role)).toEqual(["user"]);
    const replay = parseSse((await send(alice, room.id, "FAIL_NOW once", k, "text/event-stream")).text);
    expect(replay.map((e) => e.event)).toEqual(["user", "error"]);
    expect(replay[0]!.data.id).toBe(logs[0]!.id);
    expect(replay[1]!.data).toEqual({ detail: first.json.detail, status: 502 });
  });

  it("the same key with a different body is a 422; another user's identical key is unrelated", async () => {
    const room = await createRoom(alice);
    const k = key();
    expect((await send(alice, room.id, "one text", k)).status).toBe(201);
    const other = await send(alice, room.id, "another text", k);
    expect(other.status).toBe(422);
    expect(other.json).toEqual({ detail: "Idempotency-Key reused with a different request." });
    const bob = await newClient("bob");
    const bobRoom = await createRoom(bob);
    expect((await send(bob, bobRoom.id, "one text", k)).status).toBe(201);
    expect(await logsOf(alice, room.id)).toHaveLength(2);
  });

  it("a request refused before it started saves nothing: the key can be used again", async () => {
    const room = await createRoom(alice);
    const k = key();
    expect((await send(alice, room.id, "", k)).status).toBe(400);
    const res = await send(alice, room.id, "now valid", k);
    expect(res.status).toBe(201);
  });

  it("refuses a malformed key with 400 and stores nothing", async () => {
    const room = await createRoom(alice);
    for (const bad of ["x".repeat(256), "tab\there"]) {
      const res = await request("POST", `/room/${room.id}/messages/`, {
        token: alice.token,
        body: { message: "hi" },
        headers: { accept: "application/json", "idempotency-key": bad },
      });
      expect(res.status).toBe(400);
      expect(res.json.detail).toMatch(/Idempotency-Key/);
    }
    expect(await logsOf(alice, room.id)).toEqual([]);
  });

  it("POST /room/ with the same key creates one room", async () => {
    const k = key();
    const create = () => request("POST", "/room/", { token: alice.token, body: { title: "idempotent room" }, headers: { "idempotency-key": k } });
    const [a, b] = [await create(), await create()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json).toEqual(a.json);
    const rooms = await request("GET", "/room/?q=idempotent room", { token: alice.token });
    expect(rooms.json.filter((r: { id: number }) => r.id === a.json.id)).toHaveLength(1);
    expect(rooms.json).toHaveLength(1);
  });

  it("a repeated /regenerate/ answers once", async () => {
    const room = await createRoom(alice);
    await sendMessage(alice, room.id, "regenerate me");
    const k = key();
    const regen = () =>
      request("POST", `/room/${room.id}/regenerate/`, { token: alice.token, headers: { accept: "application/json", "idempotency-key": k } });
    const first = await regen();
    expect(first.status).toBe(201);
    const again = await regen();
    expect(again.json).toEqual(first.json);
    const logs = await logsOf(alice, room.id);
    expect(logs.map((l) => l.id)).toEqual([first.json.user.id, first.json.bot.id]);
  });
});

describe("the OpenAPI document", () => {
  it("documents /stream/, /stop/ and the Idempotency-Key header", async () => {
    const doc = await (await fetch(`${api("").replace(/\/api\/chatbot$/, "")}/api/openapi.json`)).json();
    expect(doc.paths["/room/{id}/stream/"].get.responses).toHaveProperty("204");
    expect(doc.paths["/room/{id}/stop/"].post.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/StopResult",
    });
    expect(doc.components.schemas.StopResult.properties).toHaveProperty("bot");
    for (const [path, method] of [["/room/", "post"], ["/room/{id}/messages/", "post"], ["/room/{id}/regenerate/", "post"]] as const) {
      const names = (doc.paths[path][method].parameters ?? []).map((p: { name: string }) => p.name);
      expect(names, path).toContain("Idempotency-Key");
      expect(doc.paths[path][method].responses, path).toHaveProperty("422");
    }
  });
});
