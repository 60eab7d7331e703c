import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake OpenAI-compatible model server (`POST /chat/completions`, streaming and not) whose
 * replies are deterministic and reveal the context it received, so tests can prove what
 * the app sent. The last user message steers it:
 *
 * - `FAIL` anywhere → HTTP 500 (a broken model)
 * - `HANG` anywhere → never answers (time-outs)
 * - `SLOW` anywhere → a long reply, 100 words, one every 30 ms (disconnect tests)
 * - `CRAWL` anywhere → the same reply, one word every 150 ms (a browser's Stop button)
 * - a title request (system prompt asks for a title) → `Title: <first 3 words>`
 * - `WHOAMI` anywhere → `Model: <model>. System: <system prompt>` (what a room's settings sent)
 * - otherwise → `Echo: <message> [context: N messages]` in a few chunks
 *
 * Usage, as OpenAI reports it: `prompt_tokens` = the words of every message sent (system prompt
 * included), `completion_tokens` = the words of the reply. Non-streaming answers always carry
 * it; a stream carries it only when asked (`stream_options: {include_usage: true}`), in a last
 * chunk with empty `choices` before `[DONE]`, as OpenAI's API does.
 *
 * `GET /__requests` returns every request body received (newest last); `DELETE` clears it.
 *
 * With `closeReusedConnections`, it behaves like a server or proxy whose keep-alive time-out
 * fires just as a client reuses an idle connection: a request that arrives on a connection
 * that already served one is cut without an answer (the client sees "other side closed").
 */
export type FakeLlm = { url: string; close: () => Promise<void>; requestCount: () => number };

type ChatMessage = { role: string; content: string };

export function replyFor(messages: ChatMessage[], model = ""): { text: string; mode: "fail" | "hang" | "slow" | "crawl" | "normal" } {
  const last = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (/title/i.test(system) && /conversation title/i.test(system)) {
    const firstLine = last.replace(/^User:\s*/, "").split("\n")[0] ?? "";
    return { text: `Title: ${firstLine.split(/\s+/).slice(0, 3).join(" ")}`, mode: "normal" };
  }
  if (last.includes("FAIL")) return { text: "", mode: "fail" };
  if (last.includes("HANG")) return { text: "", mode: "hang" };
  if (last.includes("WHOAMI")) return { text: `Model: ${model}. System: ${system}`, mode: "normal" };
  const turns = messages.filter((m) => m.role !== "system").length;
  if (last.includes("SLOW") || last.includes("CRAWL")) {
    return { text: Array.from({ length: 100 }, (_, i) => `word${i}`).join(" "), mode: last.includes("CRAWL") ? "crawl" : "slow" };
  }
  return { text: `Echo: ${last} [context: ${turns} messages]`, mode: "normal" };
}

export type FakeLlmOptions = { port?: number; closeReusedConnections?: boolean };

export async function startFakeLlm({ port = 0, closeReusedConnections = false }: FakeLlmOptions = {}): Promise<FakeLlm> {
  const received: unknown[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const served = new WeakSet<import("node:net").Socket>();

  const server = http.createServer(async (req, res) => {
    if (closeReusedConnections) {
      if (served.has(req.socket)) {
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
    }
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/__requests") {
      if (req.method === "DELETE") received.length = 0;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
      return;
    }
    if (req.method !== "POST" || !url.pathname.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as {
      model: string;
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
      messages: ChatMessage[];
    };
    received.push(body);
    const { text, mode } = replyFor(body.messages, body.model);
    const words = (value: string) => value.split(/\s+/).filter(Boolean).length;
    const usage = (reply: string) => {
      const prompt = body.messages.reduce((sum, m) => sum + words(m.content), 0);
      const completion = words(reply);
      return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    };

    if (mode === "fail") {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "The fake model failed on purpose.", type: "server_error" } }));
      return;
    }
    if (mode === "hang") return; // never answer; the socket is closed by close()

    const id = `chatcmpl-${received.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage: usage(text),
        }),
      );
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const chunk = (delta: Record<string, string>, finish: string | null) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model: body.model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }, null));
    const pieces = text.match(/\S+\s*/g) ?? [text];
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    for (const piece of pieces) {
      if (closed) return;
      res.write(chunk({ content: piece }, null));
      if (mode === "slow" || mode === "crawl") await new Promise((r) => setTimeout(r, mode === "slow" ? 30 : 150));
    }
    res.write(chunk({}, "stop"));
    if (body.stream_options?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage: usage(text) })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/v1`,
    requestCount: () => received.length,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
