import http from "node:http";
import type { AddressInfo } from "node:net";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchWithConnectionRetry, isStaleConnectionError } from "@/lib/llm/connection-retry";
import { createModelResponder } from "@/lib/llm/model-responder";
import { ModelError } from "@/lib/llm/responder";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm";

// A model server that cuts every connection it is reused on: the keep-alive race of a real
// server or proxy closing an idle connection just as the app sends on it, made deterministic.
let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm({ closeReusedConnections: true });
});
afterAll(() => llm.close());

// Node's fetch keeps the connection of each request open for the next one to the same server.
const pooledFetch = (): typeof fetch => (input, init) => fetch(input, init);

function responder(fetchImpl: typeof fetch) {
  const provider = createOpenAICompatible({ name: "llm", baseURL: llm.url, fetch: fetchImpl });
  return createModelResponder((id) => provider.chatModel(id), { model: "fake", system: "Be brief.", maxOutputTokens: 100, timeoutMs: 5_000 });
}

async function reply(r: ReturnType<typeof responder>, message: string) {
  let text = "";
  for await (const piece of r.stream([{ role: "user", content: message }], new AbortController().signal)) text += piece;
  return text;
}

describe("model requests on a reused keep-alive connection", () => {
  it("the fake reproduces the race: without the retry a request on a pooled connection fails", async () => {
    const r = responder(pooledFetch());
    // The first replies open connections (the pool keeps them); sooner or later one is reused.
    let error: unknown;
    for (let i = 0; i < 5 && !error; i++) error = await reply(r, `message ${i}`).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).status).toBe(502);
  });

  it("with the retry every request is answered, each exactly once", async () => {
    const r = responder(fetchWithConnectionRetry(pooledFetch()));
    const before = llm.requestCount();
    for (let i = 0; i < 10; i++) expect(await reply(r, `message ${i}`)).toBe(`Echo: message ${i} [context: 1 messages]`);
    // Each cut request never reached the model; each message was answered once.
    expect(llm.requestCount() - before).toBe(10);
  });
});

describe("fetchWithConnectionRetry", () => {
  let server: http.Server;
  let url: string;
  let hits = 0;
  beforeAll(async () => {
    // Answers with headers and half a body, then cuts the connection.
    server = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("half a rep");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("never retries once the response has begun (the model may already be answering)", async () => {
    const res = await fetchWithConnectionRetry(pooledFetch())(url, { method: "POST", body: "{}" });
    await expect(res.text()).rejects.toThrow();
    expect(hits).toBe(1);
  });

  it("gives up after its retries when every connection fails", async () => {
    let calls = 0;
    const alwaysStale: typeof fetch = async () => {
      calls += 1;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    };
    await expect(fetchWithConnectionRetry(alwaysStale, 2)(url)).rejects.toThrow("fetch failed");
    expect(calls).toBe(3);
  });

  it("does not retry a refused connection or an aborted request", async () => {
    let calls = 0;
    const counting: typeof fetch = async (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const closed = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    await expect(fetchWithConnectionRetry(counting)(`http://127.0.0.1:${closed}/`)).rejects.toThrow();
    expect(calls).toBe(1);

    calls = 0;
    const aborted = AbortSignal.abort();
    await expect(fetchWithConnectionRetry(counting)(url, { signal: aborted })).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it("recognises undici's socket errors through their causes", () => {
    const socketError = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    expect(isStaleConnectionError(new TypeError("fetch failed", { cause: socketError }))).toBe(true);
    expect(isStaleConnectionError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isStaleConnectionError(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }))).toBe(false);
    expect(isStaleConnectionError(new Error("boom"))).toBe(false);
  });
});
