import { simulateReadableStream } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { createModelResponder } from "@/lib/llm/model-responder";
import { createOfflineResponder } from "@/lib/llm/offline-responder";
import { ModelError, ReplyAborted, type Responder } from "@/lib/llm/responder";
import { cleanModelTitle, titleFromMessage } from "@/lib/chat/title";

type StreamResult = Awaited<ReturnType<MockLanguageModelV3["doStream"]>>;
type StreamPart = Parameters<typeof simulateReadableStream>[0]["chunks"][number];
const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

function streamingModel(pieces: string[], options: { chunkDelayInMs?: number; initialDelayInMs?: number } = {}) {
  const chunks: StreamPart[] = [
    { type: "text-start", id: "t" },
    ...pieces.map((delta) => ({ type: "text-delta", id: "t", delta })),
    { type: "text-end", id: "t" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
  ] as StreamPart[];
  return new MockLanguageModelV3({
    doStream: async () => ({ stream: simulateReadableStream({ chunks, ...options }) as StreamResult["stream"] }),
  });
}

async function collect(responder: Responder, signal = new AbortController().signal) {
  let text = "";
  for await (const piece of responder.stream([{ role: "user", content: "hi" }], signal)) text += piece;
  return text;
}

const options = { model: "default-model", system: "be brief", maxOutputTokens: 64, timeoutMs: 500 };

describe("model responder (AI SDK)", () => {
  it("streams the model's pieces in order and sends the system prompt and the context", async () => {
    const model = streamingModel(["Hel", "lo", "!"]);
    const responder = createModelResponder(() => model, options);
    expect(await collect(responder)).toBe("Hello!");
    const call = model.doStreamCalls[0]!;
    expect(call.maxOutputTokens).toBe(64);
    expect(call.prompt[0]).toEqual({ role: "system", content: "be brief" });
    expect(call.prompt.at(-1)).toMatchObject({ role: "user" });
  });

  it("answers with the model and system prompt of the call, else its defaults, and reports the usage", async () => {
    const models: string[] = [];
    const model = streamingModel(["ok"]);
    const responder = createModelResponder((id) => {
      models.push(id);
      return model;
    }, options);
    const usages: unknown[] = [];
    let text = "";
    for await (const piece of responder.stream([{ role: "user", content: "hi" }], new AbortController().signal, {
      model: "room-model",
      system: "be a pirate",
      onUsage: (u) => usages.push(u),
    })) text += piece;
    expect(text).toBe("ok");
    expect(models).toEqual(["room-model"]);
    expect(model.doStreamCalls[0]!.prompt[0]).toEqual({ role: "system", content: "be a pirate" });
    expect(usages).toEqual([{ promptTokens: 1, completionTokens: 1 }]);

    await collect(responder);
    expect(models).toEqual(["room-model", "default-model"]);
    expect(model.doStreamCalls[1]!.prompt[0]).toEqual({ role: "system", content: "be brief" });
  });

  it("reports no usage when the model sent none", async () => {
    const none = { inputTokens: { total: undefined }, outputTokens: { total: undefined } };
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: "x" },
            { type: "text-end", id: "t" },
            { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: none },
          ] as StreamPart[],
        }) as StreamResult["stream"],
      }),
    });
    const usages: unknown[] = [];
    for await (const _ of createModelResponder(() => model, options).stream([{ role: "user", content: "hi" }], new AbortController().signal, {
      onUsage: (u) => usages.push(u),
    }));
    expect(usages).toEqual([]);
  });

  it("turns a failing model into a 502 ModelError", async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => {
        throw Object.assign(new Error("connection refused"), { statusCode: 503 });
      },
    });
    const error = await collect(createModelResponder(() => model, options)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).status).toBe(502);
    expect((error as ModelError).message).toMatch(/503/);
  });

  it("gives a 504 when the model stays silent longer than the time-out", async () => {
    const model = streamingModel(["late"], { initialDelayInMs: 2_000 });
    const error = await collect(createModelResponder(() => model, { ...options, timeoutMs: 100 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).status).toBe(504);
  });

  it("stops quietly (ReplyAborted) when the caller aborts, after the pieces so far", async () => {
    const model = streamingModel(["a ", "b ", "c ", "d "], { chunkDelayInMs: 50 });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const piece of createModelResponder(() => model, { ...options, timeoutMs: 5_000 }).stream([{ role: "user", content: "x" }], controller.signal)) {
        seen.push(piece);
        if (seen.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyAborted);
    expect(seen).toEqual(["a ", "b "]);
  });
});

describe("offline responder", () => {
  it("says plainly that no model is connected and how to connect one, in the user's language", async () => {
    const offline = createOfflineResponder(0);
    const english = await collect(offline);
    expect(english).toMatch(/No AI model is connected/);
    expect(english).toMatch(/LLM_BASE_URL/);
    let korean = "";
    for await (const piece of offline.stream([{ role: "user", content: "안녕" }], new AbortController().signal)) korean += piece;
    expect(korean).toMatch(/AI 모델이 연결되어 있지 않아서/);
    expect(await offline.title({ message: "x", reply: "y" }, new AbortController().signal)).toBeUndefined();
  });

  it("streams in several pieces, like a real reply", async () => {
    const pieces: string[] = [];
    for await (const piece of createOfflineResponder(0).stream([{ role: "user", content: "hi" }], new AbortController().signal)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(10);
  });
});

describe("titles", () => {
  it("cuts the first message at a word boundary", () => {
    expect(titleFromMessage("  plan a trip  ")).toBe("plan a trip");
    expect(titleFromMessage("first line\nsecond line")).toBe("first line");
    const long = titleFromMessage("Tell me everything about keyset pagination in Postgres and why OFFSET is slow");
    expect(long.endsWith("…")).toBe(true);
    expect(Array.from(long).length).toBeLessThanOrEqual(41);
    expect(long).not.toMatch(/\s…$/);
  });

  it("cleans a model's title: no label, quotes, trailing dot or second line; at most 100 characters", () => {
    expect(cleanModelTitle('Title: "Jeju trip plan."\nmore')).toBe("Jeju trip plan");
    expect(cleanModelTitle("제목: 부산 맛집")).toBe("부산 맛집");
    expect(cleanModelTitle("<think>hmm</think>Busan food")).toBe("Busan food");
    expect(cleanModelTitle("   ")).toBeUndefined();
    expect(Array.from(cleanModelTitle("가".repeat(150))!)).toHaveLength(100);
  });
});
