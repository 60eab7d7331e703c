import { performance } from "node:perf_hooks";
import type { BenchModel } from "./fake-model";
import { summarize, type Summary } from "./stats";

/**
 * Time-to-first-token overhead (docs/chat-turn.md): sequential SSE sends, each timed from the request's
 * start to the first `event: delta` byte we receive, minus the model's own time to first
 * chunk (from its receiving the request to its writing the first content chunk, recorded
 * by the bench model in this process, on the same clock). Split in two: before the model is
 * called (auth, room check, user log insert, history read) and after its first chunk (the
 * AI SDK parse, our SSE encoding, the HTTP stream).
 */
export type TtftResult = {
  samples: number;
  /** Client TTFT − model TTFT: what the app adds. */
  overheadMs: Summary;
  /** Request start → the model receives the request. */
  beforeModelMs: Summary;
  /** Model's first chunk written → our first delta byte received. */
  afterModelMs: Summary;
  /** Request start → first delta, as the client sees it. */
  clientTtftMs: Summary;
  /** The model's own TTFT (zero-delay fake: ≈ 0). */
  modelTtftMs: Summary;
  /** Request start → end of stream (reply stored, `done` sent). */
  totalMs: Summary;
};

export async function measureTtft(params: {
  baseUrl: string;
  token: string;
  roomIds: number[];
  model: BenchModel;
  samples: number;
  warmups?: number;
}): Promise<TtftResult> {
  const { baseUrl, token, roomIds, model, samples } = params;
  const warmups = params.warmups ?? 3;
  const rows: { client: number; model: number; before: number; after: number; total: number }[] = [];
  for (let i = 0; i < warmups + samples; i++) {
    const key = `s${i}`;
    const roomId = roomIds[i % roomIds.length]!;
    const sent = await sendOne(baseUrl, token, roomId, `TTFT probe ${i} [ttft:${key}]`);
    const timing = model.timings.get(key);
    if (!timing) throw new Error(`TTFT probe ${i}: the model never saw it`);
    if (i < warmups) continue;
    const client = sent.firstDeltaAt - sent.startedAt;
    const modelTtft = timing.firstChunkAt - timing.receivedAt;
    rows.push({
      client,
      model: modelTtft,
      before: timing.receivedAt - sent.startedAt,
      after: sent.firstDeltaAt - timing.firstChunkAt,
      total: sent.endedAt - sent.startedAt,
    });
  }
  return {
    samples: rows.length,
    overheadMs: summarize(rows.map((r) => r.client - r.model)),
    beforeModelMs: summarize(rows.map((r) => r.before)),
    afterModelMs: summarize(rows.map((r) => r.after)),
    clientTtftMs: summarize(rows.map((r) => r.client)),
    modelTtftMs: summarize(rows.map((r) => r.model), 3),
    totalMs: summarize(rows.map((r) => r.total)),
  };
}

async function sendOne(baseUrl: string, token: string, roomId: number, message: string) {
  const startedAt = performance.now();
  const res = await fetch(`${baseUrl}/api/chatbot/room/${roomId}/messages/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ message }),
  });
  if (res.status !== 200 || !res.body) throw new Error(`SSE send: HTTP ${res.status} ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let firstDeltaAt: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (firstDeltaAt === undefined && text.includes("event: delta")) firstDeltaAt = performance.now();
  }
  const endedAt = performance.now();
  if (firstDeltaAt === undefined) throw new Error(`SSE send: no delta event in ${JSON.stringify(text.slice(0, 500))}`);
  if (!text.includes("event: done")) throw new Error(`SSE send: no done event in ${JSON.stringify(text.slice(-500))}`);
  return { startedAt, firstDeltaAt, endedAt };
}
