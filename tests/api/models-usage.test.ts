import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../support/api";
import { eventually, parseSse } from "../support/api";
import { remote, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

/**
 * SPEC §11 models, system prompts and usage (docs/api.md#models, docs/api.md#usage,
 * docs/chat-turn.md#model-and-system-prompt): a server of this file's own with three allowed
 * models and a known default system prompt. The fake model records every request, so the
 * tests read what the app really sent; it reports usage as OpenAI does (in streaming, only
 * when asked with `stream_options.include_usage`).
 */
const DEFAULT_PROMPT = "You are the default test assistant.";
const MODELS = [
  { id: "fake-model", default: true },
  { id: "fake-large", default: false },
  { id: "fake-mini", default: false },
];

type LlmRequest = {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: { role: string; content: string }[];
};

let stack: Stack;
let app: Remote;

beforeAll(async () => {
  // LLM_MODEL (the default) is "fake-model" in every stack; listing it again changes nothing.
  stack = await startStack({ env: { LLM_MODELS: " fake-large, fake-model ,fake-mini,, ", LLM_SYSTEM_PROMPT: DEFAULT_PROMPT } });
  app = remote(stack.baseUrl);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** Every request the fake model received whose last user message contains `marker`. */
async function llmRequests(marker: string): Promise<LlmRequest[]> {
  const all = (await (await fetch(new URL("/__requests", stack.llmUrl))).json()) as LlmRequest[];
  return all.filter((r) => r.messages.some((m) => m.role === "user" && m.content.includes(marker)));
}
const isTitleRequest = (r: LlmRequest) => /conversation title/i.test(r.messages[0]?.content ?? "");
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
/** The usage the fake reports for a request and its reply (tests/support/fake-llm.ts). */
const expectedUsage = (request: LlmRequest, reply: string) => ({
  prompt_tokens: request.messages.reduce((sum, m) => sum + words(m.content), 0),
  completion_tokens: words(reply),
});

const patchRoom = (client: Client, roomId: number, body: unknown) => app.request("PATCH", `/room/${roomId}/`, { token: client.token, body });
const usageOf = (client: Client, query = "") => app.request("GET", `/auth/me/usage/${query}`, { token: client.token });
const todayUtc = () => new Date().toISOString().slice(0, 10);

describe("GET /models/", () => {
  it("lists the allowed models, the default first and marked, with and without the slash", async () => {
    const alice = await app.newClient("models");
    for (const path of ["/models/", "/models"]) {
      const res = await app.request("GET", path, { token: alice.token });
      expect(res.status).toBe(200);
      expect(res.json).toEqual(MODELS);
    }
  });

  it("needs credentials", async () => {
    const res = await app.request("GET", "/models/");
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ detail: "Authentication credentials were not provided." });
  });

  it("is in the OpenAPI document, with the usage endpoint", async () => {
    const doc = (await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/models/", "/auth/me/usage/"]));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Model", "Usage"]));
  });
});

describe("a room's model and system prompt", () => {
  it("PATCH refuses a model outside LLM_MODELS with 400 {model: [...]}, and takes one inside it", async () => {
    const alice = await app.newClient("patch");
    const room = await app.createRoom(alice);
    for (const model of ["gpt-4o", "", 42, "FAKE-LARGE"]) {
      const res = await patchRoom(alice, room.id, { model });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ model: [expect.stringContaining("is not a valid choice")] });
    }
    expect((await patchRoom(alice, room.id, { model: "fake-large" })).json.model).toBe("fake-large");
    expect((await patchRoom(alice, room.id, { model: null })).json.model).toBeNull();
  });

  it("POST /room/ takes the model and system prompt at once, with the same rules", async () => {
    const alice = await app.newClient("create");
    const res = await app.request("POST", "/room/", { token: alice.token, body: { model: "fake-mini", system_prompt: "Be terse." } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ model: "fake-mini", system_prompt: "Be terse." });
    const refused = await app.request("POST", "/room/", { token: alice.token, body: { model: "not-allowed" } });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ model: [expect.any(String)] });
    const tooLong = await app.request("POST", "/room/", { token: alice.token, body: { system_prompt: "x".repeat(4_001) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toEqual({ system_prompt: [expect.any(String)] });
  });

  it("the turn and the title are answered by the room's model with the room's system prompt", async () => {
    const alice = await app.newClient("turn");
    const room = await app.createRoom(alice);
    expect((await patchRoom(alice, room.id, { model: "fake-large", system_prompt: "Answer like a pirate." })).status).toBe(200);

    const res = await app.sendMessage(alice, room.id, "ahoy turn-7f3a");
    expect(res.status).toBe(201);
    const sent = await llmRequests("turn-7f3a");
    const reply = sent.find((r) => !isTitleRequest(r))!;
    const title = sent.find(isTitleRequest)!;
    expect(reply.model).toBe("fake-large");
    expect(reply.messages[0]).toEqual({ role: "system", content: "Answer like a pirate." });
    expect(reply.stream).toBe(true);
    expect(reply.stream_options).toEqual({ include_usage: true });
    expect(title.model).toBe("fake-large");

    // The bot log records the model and what it reported.
    expect(res.json.bot).toMatchObject({ model: "fake-large", usage: expectedUsage(reply, res.json.bot.message) });
    expect(res.json.user).toMatchObject({ model: null, usage: null });
    const logs = await app.request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json.at(-1)).toMatchObject({ role: "bot", model: "fake-large", usage: res.json.bot.usage });

    // The operator's `turn` log line names the model that answered too (docs/configuration.md#logs-and-metrics).
    const turnLine = await eventually(async () =>
      stack
        .output()
        .split("\n")
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as { msg?: string; roomId?: number; model?: string }];
          } catch {
            return []; // not a JSON log line (or one still being written)
          }
        })
        .find((line) => line.msg === "turn" && line.roomId === room.id),
    );
    expect(turnLine).toMatchObject({ model: "fake-large", outcome: "done" });
  });

  it("the fake model says what it was sent: WHOAMI shows the room's model and prompt", async () => {
    const alice = await app.newClient("whoami");
    const room = await app.createRoom(alice, "named");
    await patchRoom(alice, room.id, { model: "fake-mini", system_prompt: "Speak Korean." });
    const res = await app.sendMessage(alice, room.id, "WHOAMI");
    expect(res.json.bot.message).toBe("Model: fake-mini. System: Speak Korean.");
  });

  it("a room without settings is answered by LLM_MODEL with LLM_SYSTEM_PROMPT; a blank prompt clears the room's", async () => {
    const alice = await app.newClient("defaults");
    const room = await app.createRoom(alice, "named");
    expect((await app.sendMessage(alice, room.id, "WHOAMI first")).json.bot.message).toBe(`Model: fake-model. System: ${DEFAULT_PROMPT}`);
    await patchRoom(alice, room.id, { system_prompt: "Be brief." });
    expect((await app.sendMessage(alice, room.id, "WHOAMI second")).json.bot.message).toBe("Model: fake-model. System: Be brief.");
    expect((await patchRoom(alice, room.id, { system_prompt: "   " })).json.system_prompt).toBeNull();
    expect((await app.sendMessage(alice, room.id, "WHOAMI third")).json.bot.message).toBe(`Model: fake-model. System: ${DEFAULT_PROMPT}`);
  });

  it("regenerate answers with the room's model and prompt as they are now", async () => {
    const alice = await app.newClient("regen");
    const room = await app.createRoom(alice, "named");
    await patchRoom(alice, room.id, { model: "fake-large" });
    expect((await app.sendMessage(alice, room.id, "again regen-91c2")).json.bot.model).toBe("fake-large");
    await patchRoom(alice, room.id, { model: "fake-mini", system_prompt: "Rhyme." });
    const res = await app.request("POST", `/room/${room.id}/regenerate/`, { token: alice.token, headers: { accept: "application/json" } });
    expect(res.status).toBe(201);
    const sent = (await llmRequests("regen-91c2")).filter((r) => !isTitleRequest(r));
    expect(sent.map((r) => r.model)).toEqual(["fake-large", "fake-mini"]);
    expect(sent[1]!.messages[0]).toEqual({ role: "system", content: "Rhyme." });
    expect(res.json.bot).toMatchObject({ model: "fake-mini", usage: expectedUsage(sent[1]!, res.json.bot.message) });
  });

  it("streaming (SSE) replies record usage too", async () => {
    const alice = await app.newClient("sse");
    const room = await app.createRoom(alice, "named");
    await patchRoom(alice, room.id, { model: "fake-mini" });
    const res = await fetch(app.url(`/room/${room.id}/messages/`), {
      method: "POST",
      headers: { ...alice.headers, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: "stream me sse-44d1" }),
    });
    const done = parseSse(await res.text()).find((e) => e.event === "done")!;
    const [sent] = await llmRequests("sse-44d1");
    expect(sent!.stream_options).toEqual({ include_usage: true });
    expect(done.data).toMatchObject({ model: "fake-mini", usage: expectedUsage(sent!, done.data.message) });
    expect(done.data.usage.completion_tokens).toBeGreaterThan(0);
  });
});

describe("GET /auth/me/usage/", () => {
  it("sums the caller's bot logs per day and per model, and nobody else's", async () => {
    const alice = await app.newClient("usage");
    const bob = await app.newClient("usage-other");
    const empty = await usageOf(alice);
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ replies: 0, prompt_tokens: 0, completion_tokens: 0, by_model: [] });
    expect(empty.json.by_day).toHaveLength(30);

    const large = await app.createRoom(alice, "large");
    await patchRoom(alice, large.id, { model: "fake-large" });
    const plain = await app.createRoom(alice, "plain");
    const bots = [
      (await app.sendMessage(alice, large.id, "one two three")).json.bot,
      (await app.sendMessage(alice, large.id, "four five")).json.bot,
      (await app.sendMessage(alice, plain.id, "six")).json.bot,
    ];
    const bobRoom = await app.createRoom(bob, "bob's");
    await app.sendMessage(bob, bobRoom.id, "bob talks a lot here");

    const sum = (logs: typeof bots, key: "prompt_tokens" | "completion_tokens") => logs.reduce((s, l) => s + l.usage[key], 0);
    const res = await usageOf(alice, "?days=30");
    expect(res.status).toBe(200);
    const expected = { replies: 3, prompt_tokens: sum(bots, "prompt_tokens"), completion_tokens: sum(bots, "completion_tokens") };
    expect(res.json).toMatchObject(expected);
    expect(expected.prompt_tokens).toBeGreaterThan(0);

    // Every UTC day of the window, oldest first, zeros included; today holds everything.
    const days = res.json.by_day as { date: string; replies: number }[];
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toEqual({ date: todayUtc(), ...expected });
    expect(days.slice(0, -1).every((d) => d.replies === 0)).toBe(true);
    const dates = days.map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(30);
    expect(Date.parse(`${dates.at(-1)}T00:00:00Z`) - Date.parse(`${dates[0]}T00:00:00Z`)).toBe(29 * 86_400_000);

    expect(res.json.by_model).toEqual([
      { model: "fake-large", replies: 2, prompt_tokens: sum(bots.slice(0, 2), "prompt_tokens"), completion_tokens: sum(bots.slice(0, 2), "completion_tokens") },
      { model: "fake-model", replies: 1, prompt_tokens: bots[2].usage.prompt_tokens, completion_tokens: bots[2].usage.completion_tokens },
    ]);

    const bobs = await usageOf(bob);
    expect(bobs.json).toMatchObject({ replies: 1, by_model: [{ model: "fake-model", replies: 1 }] });
  });

  it("covers 1 to 366 days (default 30); anything else is 400 {days: [...]}", async () => {
    const alice = await app.newClient("days");
    expect((await usageOf(alice, "?days=1")).json.by_day).toEqual([{ date: todayUtc(), replies: 0, prompt_tokens: 0, completion_tokens: 0 }]);
    expect((await usageOf(alice, "?days=366")).json.by_day).toHaveLength(366);
    const bare = await app.request("GET", "/auth/me/usage", { token: alice.token });
    expect(bare.status).toBe(200);
    expect(bare.json.by_day).toHaveLength(30);
    for (const days of ["0", "367", "-1", "abc", "1.5", "", "99999999999999999999"]) {
      const res = await usageOf(alice, `?days=${days}`);
      expect(res.status, `days=${days}`).toBe(400);
      expect(res.json).toEqual({ days: [expect.any(String)] });
    }
  });

  it("needs credentials", async () => {
    expect((await app.request("GET", "/auth/me/usage/")).status).toBe(401);
  });
});

describe("without a model server (the offline responder)", () => {
  let offline: Stack;
  beforeAll(async () => {
    offline = await startStack({ env: { LLM_BASE_URL: "" } });
  }, 120_000);
  afterAll(async () => {
    await offline?.stop();
  });

  it("still answers; its replies record no model and no usage, and count as replies", async () => {
    const there = remote(offline.baseUrl);
    const alice = await there.newClient("offline");
    const room = await there.createRoom(alice);
    const res = await there.sendMessage(alice, room.id, "hello?");
    expect(res.status).toBe(201);
    expect(res.json.bot.message).toMatch(/No AI model is connected/);
    expect(res.json.bot).toMatchObject({ model: null, usage: null });
    const usage = await there.request("GET", "/auth/me/usage/", { token: alice.token });
    expect(usage.json).toMatchObject({
      replies: 1,
      prompt_tokens: 0,
      completion_tokens: 0,
      by_model: [{ model: null, replies: 1, prompt_tokens: 0, completion_tokens: 0 }],
    });
  });
});
