import crypto from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, createRoom, hasRedis, newClient, parseSse, request, sendMessage, type Client } from "../support/api";

// SPEC §11 "Edit" and "Feedback" (docs/chat-turn.md#edit, docs/api.md#feedback). The suite's
// server runs with HISTORY_MAX_MESSAGES=6 and the fake model (tests/support/fake-llm.ts), which
// answers `Echo: <message> [context: N messages]`, N counting every non-system message it got.

type Log = {
  id: number;
  chatroom: number;
  role: "user" | "bot";
  message: string;
  timestamp: string;
  feedback: "up" | "down" | null;
  feedback_comment: string | null;
};
type FakeRequest = { messages: { role: string; content: string }[]; stream?: boolean };

/** The chat requests the model received whose last message is exactly `message`. */
async function requestsFor(message: string): Promise<FakeRequest[]> {
  const base = inject("llmUrl").replace(/\/v1$/, "");
  const all: FakeRequest[] = await (await fetch(`${base}/__requests`)).json();
  return all.filter((r) => r.stream && r.messages.at(-1)?.content === message);
}
const turnsSent = (sent: FakeRequest) => sent.messages.filter((m) => m.role !== "system");

/** Messages unique to this run: the fake model is shared by every suite. */
const unique = (text: string) => `${text} ${crypto.randomBytes(3).toString("hex")}`;
const echo = (message: string, context: number) => `Echo: ${message} [context: ${context} messages]`;

let alice: Client;
let mallory: Client;
let redis: ReturnType<typeof createClient> | undefined;
const historyKey = (roomId: number) => `${inject("keyPrefix")}${roomId}`;

beforeAll(async () => {
  [alice, mallory] = await Promise.all([newClient("alice"), newClient("mallory")]);
  if (hasRedis()) {
    redis = createClient({ url: inject("redisUrl") });
    await redis.connect();
  }
});
afterAll(async () => {
  redis?.destroy();
});

const logsOf = async (client: Client, roomId: number) => (await request("GET", `/room/${roomId}/logs/`, { token: client.token })).json as Log[];

/** A room with these exchanges, answered in JSON mode; returns the room and its logs. */
async function roomWith(client: Client, messages: string[]) {
  const room = await createRoom(client);
  for (const message of messages) expect((await sendMessage(client, room.id, message)).status).toBe(201);
  return { room, logs: await logsOf(client, room.id) };
}

function edit(
  client: Client,
  roomId: number,
  logId: number | string,
  body: unknown,
  options: { accept?: string; key?: string; slash?: boolean } = {},
) {
  return request("PATCH", `/room/${roomId}/logs/${logId}${options.slash === false ? "" : "/"}`, {
    token: client.token,
    body,
    headers: { accept: options.accept ?? "application/json", ...(options.key ? { "idempotency-key": options.key } : {}) },
  });
}

describe("PATCH /room/{id}/logs/{log_id}/ — edit and answer again", () => {
  it("JSON mode: replaces the text in place, deletes the later logs and answers with a context that lacks them", async () => {
    const [one, two, three] = [unique("one"), unique("two"), unique("three")];
    const { room, logs } = await roomWith(alice, [one, two, three]);
    expect(logs).toHaveLength(6);
    const before = (await request("GET", `/room/${room.id}/`, { token: alice.token })).json;
    const edited = unique("TWO edited");

    const res = await edit(alice, room.id, logs[2]!.id, { message: `  ${edited}  ` });
    expect(res.status).toBe(201);
    // The same log, same place (id and timestamp kept), new text (trimmed, as a sent message).
    expect(res.json.user).toEqual({ ...logs[2], message: edited });
    expect(res.json.bot).toMatchObject({ chatroom: room.id, role: "bot", message: echo(edited, 3) });

    const after = await logsOf(alice, room.id);
    expect(after.map((l) => [l.role, l.message])).toEqual([
      ["user", one],
      ["bot", echo(one, 1)],
      ["user", edited],
      ["bot", echo(edited, 3)],
    ]);
    expect(after.slice(0, 3).map((l) => l.id)).toEqual([logs[0]!.id, logs[1]!.id, logs[2]!.id]);
    expect(after[3]!.id).toBe(res.json.bot.id);

    // The model was sent the turns before the edited message, and nothing of the removed ones.
    const [sent] = await requestsFor(edited);
    expect(turnsSent(sent!)).toEqual([
      { role: "user", content: one },
      { role: "assistant", content: echo(one, 1) },
      { role: "user", content: edited },
    ]);

    // The history was rebuilt from Postgres: the next message sees the edited conversation only.
    const next = unique("and then");
    expect((await sendMessage(alice, room.id, next)).json.bot.message).toBe(echo(next, 5));
    const [nextSent] = await requestsFor(next);
    expect(turnsSent(nextSent!).map((m) => m.content)).toEqual([one, echo(one, 1), edited, echo(edited, 3), next]);
    if (redis) {
      const stored = (await redis.lRange(historyKey(room.id), 0, -1)).map((item) => JSON.parse(item).data.content as string);
      expect(stored.reverse()).toEqual([one, echo(one, 1), edited, echo(edited, 3), next, echo(next, 5)]);
    }

    // Editing is activity: the room moves up the list.
    const roomAfter = (await request("GET", `/room/${room.id}/`, { token: alice.token })).json;
    expect(new Date(roomAfter.updated_at).getTime()).toBeGreaterThan(new Date(before.updated_at).getTime());
  });

  it("SSE mode: `user` carries the edited log, then the new reply streams and ends with `done`", async () => {
    const [first, second] = [unique("first"), unique("second")];
    const { room, logs } = await roomWith(alice, [first, second]);
    const edited = unique("FIRST edited");

    const res = await edit(alice, room.id, logs[0]!.id, { message: edited }, { accept: "text/event-stream" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = parseSse(res.text);
    expect(events[0]).toEqual({ event: "user", data: { ...logs[0], message: edited } });
    expect(events.slice(1, -1).every((e) => e.event === "delta")).toBe(true);
    const reply = events
      .filter((e) => e.event === "delta")
      .map((e) => e.data.text)
      .join("");
    expect(reply).toBe(echo(edited, 1));
    expect(events.at(-1)).toMatchObject({ event: "done", data: { role: "bot", message: echo(edited, 1) } });

    const after = await logsOf(alice, room.id);
    expect(after.map((l) => l.message)).toEqual([edited, echo(edited, 1)]);
    const [sent] = await requestsFor(edited);
    expect(turnsSent(sent!)).toEqual([{ role: "user", content: edited }]);
  });

  it("edits the last message (nothing after it but its reply), without the trailing slash too", async () => {
    const { room, logs } = await roomWith(alice, [unique("only")]);
    const edited = unique("only, edited");
    const res = await edit(alice, room.id, logs[0]!.id, { message: edited }, { slash: false });
    expect(res.status).toBe(201);
    expect((await logsOf(alice, room.id)).map((l) => l.message)).toEqual([edited, echo(edited, 1)]);
  });

  it("a repeated Idempotency-Key answers once; the same key with another text is a 422", async () => {
    const { room, logs } = await roomWith(alice, [unique("question"), unique("follow-up")]);
    const edited = unique("question, edited");
    const key = crypto.randomUUID();
    const first = await edit(alice, room.id, logs[0]!.id, { message: edited }, { key });
    expect(first.status).toBe(201);
    const again = await edit(alice, room.id, logs[0]!.id, { message: edited }, { key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    const replay = parseSse((await edit(alice, room.id, logs[0]!.id, { message: edited }, { key, accept: "text/event-stream" })).text);
    expect(replay.map((e) => e.event)).toEqual(["user", "done"]);
    expect(replay[1]!.data).toEqual(first.json.bot);

    expect((await logsOf(alice, room.id)).map((l) => l.id)).toEqual([first.json.user.id, first.json.bot.id]);
    expect(await requestsFor(edited)).toHaveLength(1);

    const other = await edit(alice, room.id, logs[0]!.id, { message: unique("something else") }, { key });
    expect(other.status).toBe(422);
    expect(other.json).toEqual({ detail: "Idempotency-Key reused with a different request." });
  });

  it("404 for another user's room, a log of another room, a missing log and ids that are not positive integers", async () => {
    const { room, logs } = await roomWith(alice, [unique("mine")]);
    const { room: otherRoom, logs: otherLogs } = await roomWith(alice, [unique("elsewhere")]);
    const cases: [number | string, number | string][] = [
      [room.id, otherLogs[0]!.id],
      [otherRoom.id, logs[0]!.id],
      [room.id, 999_999_999],
      [room.id, "abc"],
      [room.id, 0],
      [room.id, -1],
      [room.id, "1.5"],
      ["abc", logs[0]!.id],
    ];
    for (const [roomId, logId] of cases) {
      const res = await request("PATCH", `/room/${roomId}/logs/${logId}/`, {
        token: alice.token,
        body: { message: "hijack" },
        headers: { accept: "application/json" },
      });
      expect(res.status, `${roomId}/${logId}`).toBe(404);
      expect(res.json).toEqual({ detail: "Not found." });
    }
    const stranger = await edit(mallory, room.id, logs[0]!.id, { message: "hijack" });
    expect(stranger.status).toBe(404);
    expect(stranger.json).toEqual({ detail: "Not found." });
    // A stranger's invalid body learns nothing either.
    expect((await edit(mallory, room.id, logs[0]!.id, { message: "" })).status).toBe(404);
    expect((await logsOf(alice, room.id)).map((l) => l.message)).toEqual(logs.map((l) => l.message));
  });

  it("400 for a reply's log and for an invalid message; nothing changes", async () => {
    const { room, logs } = await roomWith(alice, [unique("keep me")]);
    const bot = await edit(alice, room.id, logs[1]!.id, { message: "rewrite the bot" });
    expect(bot.status).toBe(400);
    expect(bot.json).toEqual({ detail: "Only your own messages can be edited." });

    for (const [body, error] of [
      [{ message: "" }, "This field may not be blank."],
      [{ message: "   " }, "This field may not be blank."],
      [{}, "This field is required."],
      [{ message: null }, "This field may not be null."],
      [{ message: 42 }, "Not a valid string."],
      [{ message: "x".repeat(32_001) }, "Ensure this field has no more than 32000 characters."],
    ] as const) {
      const res = await edit(alice, room.id, logs[0]!.id, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.json).toEqual({ message: [error] });
    }
    expect(await logsOf(alice, room.id)).toEqual(logs);
  });

  it("takes messages of 32,000 characters in any script (the /messages/ body limit), and refuses bigger bodies with 413", async () => {
    const { room, logs } = await roomWith(alice, [unique("short")]);
    const long = "한".repeat(32_000);
    const res = await edit(alice, room.id, logs[0]!.id, { message: long });
    expect(res.status).toBe(201);
    expect(res.json.user.message).toBe(long);
    const huge = await edit(alice, room.id, logs[0]!.id, JSON.stringify({ message: "x".repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
  });

  it("answers only PATCH (405 with Allow)", async () => {
    const { room, logs } = await roomWith(alice, [unique("methods")]);
    for (const method of ["GET", "POST", "PUT", "DELETE"]) {
      const res = await request(method, `/room/${room.id}/logs/${logs[0]!.id}/`, { token: alice.token });
      expect(res.status, method).toBe(405);
      expect(res.json).toEqual({ detail: `Method "${method}" not allowed.` });
      expect(res.headers.get("allow")).toBe("PATCH, OPTIONS");
    }
  });
});

describe("PUT/DELETE /room/{id}/logs/{log_id}/feedback/ — 👍/👎 on a reply", () => {
  const feedback = (client: Client, roomId: number, logId: number | string, method: "PUT" | "DELETE", body?: unknown, slash = true) =>
    request(method, `/room/${roomId}/logs/${logId}/feedback${slash ? "/" : ""}`, { token: client.token, body });

  it("rates a reply, keeps the rating in the room's logs, and clears it with DELETE", async () => {
    const { room, logs } = await roomWith(alice, [unique("rate me")]);
    const before = (await request("GET", `/room/${room.id}/`, { token: alice.token })).json;

    const up = await feedback(alice, room.id, logs[1]!.id, "PUT", { rating: "up" });
    expect(up.status).toBe(200);
    expect(up.json).toEqual({ ...logs[1], feedback: "up", feedback_comment: null });

    const down = await feedback(alice, room.id, logs[1]!.id, "PUT", { rating: "down", comment: "  The dates are wrong.  " }, false);
    expect(down.status).toBe(200);
    expect(down.json).toMatchObject({ id: logs[1]!.id, feedback: "down", feedback_comment: "The dates are wrong." });

    const detail = (await request("GET", `/room/${room.id}/`, { token: alice.token })).json;
    expect(detail.chatlogs[1]).toMatchObject({ feedback: "down", feedback_comment: "The dates are wrong." });
    expect(detail.chatlogs[0]).toMatchObject({ feedback: null, feedback_comment: null });
    // Rating is not activity: the room keeps its place in the list.
    expect(detail.updated_at).toBe(before.updated_at);

    // A new rating without a comment drops the old comment; a blank one is no comment.
    expect((await feedback(alice, room.id, logs[1]!.id, "PUT", { rating: "down", comment: "   " })).json.feedback_comment).toBeNull();

    const cleared = await feedback(alice, room.id, logs[1]!.id, "DELETE");
    expect(cleared.status).toBe(204);
    expect(cleared.text).toBe("");
    expect((await logsOf(alice, room.id))[1]).toMatchObject({ feedback: null, feedback_comment: null });
    expect((await feedback(alice, room.id, logs[1]!.id, "DELETE")).status).toBe(204);
  });

  it("validates the rating and the comment (at most 1,000 characters)", async () => {
    const { room, logs } = await roomWith(alice, [unique("bounds")]);
    const put = (body: unknown) => feedback(alice, room.id, logs[1]!.id, "PUT", body);

    const meh = await put({ rating: "meh" });
    expect(meh.status).toBe(400);
    expect(meh.json).toEqual({ rating: ['"meh" is not a valid choice.'] });
    expect((await put({})).json).toEqual({ rating: ["This field is required."] });
    expect((await put({ rating: null })).json).toEqual({ rating: ["This field may not be null."] });

    const tooLong = await put({ rating: "down", comment: "가".repeat(1_001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toEqual({ comment: ["Ensure this field has no more than 1000 characters."] });
    expect((await put({ rating: "down", comment: 7 })).json).toEqual({ comment: ["Not a valid string."] });
    expect((await logsOf(alice, room.id))[1]).toMatchObject({ feedback: null, feedback_comment: null });

    const longest = await put({ rating: "down", comment: "가".repeat(1_000) });
    expect(longest.status).toBe(200);
    expect(longest.json.feedback_comment).toBe("가".repeat(1_000));
  });

  it("refuses to rate your own message (400), and someone else's reply or a wrong id is a 404", async () => {
    const { room, logs } = await roomWith(alice, [unique("not a reply")]);
    const own = await feedback(alice, room.id, logs[0]!.id, "PUT", { rating: "up" });
    expect(own.status).toBe(400);
    expect(own.json).toEqual({ detail: "Only replies can be rated." });
    expect((await feedback(alice, room.id, logs[0]!.id, "DELETE")).json).toEqual({ detail: "Only replies can be rated." });

    for (const method of ["PUT", "DELETE"] as const) {
      const res = await feedback(mallory, room.id, logs[1]!.id, method, method === "PUT" ? { rating: "down" } : undefined);
      expect(res.status, method).toBe(404);
      expect(res.json).toEqual({ detail: "Not found." });
    }
    // 404 before 400: a stranger's bad body tells nothing.
    expect((await feedback(mallory, room.id, logs[1]!.id, "PUT", { rating: "meh" })).status).toBe(404);
    const { room: otherRoom } = await roomWith(alice, [unique("other room")]);
    expect((await feedback(alice, otherRoom.id, logs[1]!.id, "PUT", { rating: "up" })).status).toBe(404);
    expect((await feedback(alice, room.id, "abc", "PUT", { rating: "up" })).status).toBe(404);
    expect((await logsOf(alice, room.id))[1]).toMatchObject({ feedback: null });
  });

  it("answers only PUT and DELETE (405 with Allow)", async () => {
    const { room, logs } = await roomWith(alice, [unique("feedback methods")]);
    const res = await request("POST", `/room/${room.id}/logs/${logs[1]!.id}/feedback/`, { token: alice.token, body: { rating: "up" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("PUT, DELETE, OPTIONS");
  });

  it("an edit removes the later replies with their ratings", async () => {
    const { room, logs } = await roomWith(alice, [unique("rated then edited")]);
    expect((await feedback(alice, room.id, logs[1]!.id, "PUT", { rating: "up" })).status).toBe(200);
    const edited = unique("edited");
    const res = await edit(alice, room.id, logs[0]!.id, { message: edited });
    expect(res.json.bot).toMatchObject({ feedback: null });
    expect((await feedback(alice, room.id, logs[1]!.id, "PUT", { rating: "up" })).status).toBe(404);
  });
});

describe("the OpenAPI document", () => {
  it("documents the edit (both response modes, Idempotency-Key) and the feedback endpoints", async () => {
    const doc = await (await fetch(`${api("").replace(/\/api\/chatbot$/, "")}/api/openapi.json`)).json();
    const patch = doc.paths["/room/{id}/logs/{log_id}/"].patch;
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(["200", "201", "400", "404", "422"]));
    expect(patch.responses["200"].content).toHaveProperty("text/event-stream");
    expect(patch.parameters.map((p: { name: string }) => p.name)).toEqual(["id", "log_id", "Idempotency-Key"]);
    expect(doc.components.schemas[patch.requestBody.content["application/json"].schema.$ref.split("/").at(-1)].properties).toHaveProperty("message");
    const feedbackPath = doc.paths["/room/{id}/logs/{log_id}/feedback/"];
    expect(feedbackPath.put.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Log" });
    expect(feedbackPath.delete.responses).toHaveProperty("204");
    expect(doc.components.schemas.Feedback.properties.rating.enum).toEqual(["up", "down"]);
    expect(doc.components.schemas.Feedback.properties.comment.maxLength).toBe(1000);
  });
});
