import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";

/**
 * The bench's own OpenAI-compatible model: answers at once (zero delay) and, for a request
 * whose last user message carries a `[ttft:<key>]` marker, records when the request arrived
 * and when its first content chunk was written. It runs in the bench process, so these
 * times share a clock with the client's: TTFT overhead = client TTFT − model's own TTFT.
 * (The test suite's fake, tests/support/fake-llm.ts, is zero-delay too but not instrumented.)
 */
export type ModelTiming = { receivedAt: number; firstChunkAt: number };

export type BenchModel = {
  url: string;
  timings: Map<string, ModelTiming>;
  requests: () => number;
  close: () => Promise<void>;
};

type Message = { role: string; content: string };

export async function startBenchModel(): Promise<BenchModel> {
  const timings = new Map<string, ModelTiming>();
  const sockets = new Set<Socket>();
  let count = 0;

  const server = http.createServer(async (req, res) => {
    const receivedAt = performance.now();
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    count += 1;
    const body = JSON.parse(raw) as { model: string; stream?: boolean; messages: Message[] };
    const last = [...body.messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const marker = /\[ttft:([\w-]+)\]/.exec(last)?.[1];
    const text = `Echo: ${last.slice(0, 60)} (bench reply, ${body.messages.length} messages of context)`;
    const id = `chatcmpl-bench-${count}`;
    const created = Math.floor(Date.now() / 1000);

    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }

    const chunk = (delta: Record<string, string>, finish: string | null) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model: body.model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(chunk({ role: "assistant", content: "" }, null));
    const pieces = text.match(/\S+\s*/g) ?? [text];
    pieces.forEach((piece, i) => {
      res.write(chunk({ content: piece }, null));
      if (i === 0 && marker) timings.set(marker, { receivedAt, firstChunkAt: performance.now() });
    });
    res.write(chunk({}, "stop"));
    res.end("data: [DONE]\n\n");
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    timings,
    requests: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
