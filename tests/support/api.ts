import crypto from "node:crypto";
import { expect, inject } from "vitest";
import { fetchWithConnectionRetry } from "@/lib/llm/connection-retry";

/** A small REST client for the suite, speaking to the server that global-setup started. */
export const baseUrl = () => inject("baseUrl");
export const api = (path: string) => `${baseUrl()}/api/chatbot${path}`;

export type Client = { email: string; password: string; token: string; userId: number; headers: Record<string, string> };

export function uniqueEmail(tag = "user") {
  return `${tag}-${crypto.randomBytes(5).toString("hex")}@example.com`;
}

/**
 * Like a browser, the suite sends a request again when the server closed the idle keep-alive
 * connection it went out on (the server never saw it); `next start` closes idle connections
 * after 5 s, and on a busy machine the client's reuse can race that.
 */
const send = fetchWithConnectionRetry();

export async function request(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await send(path.startsWith("http") ? path : api(path), { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** Registers a fresh user and mints a token for it. */
export async function newClient(tag = "user"): Promise<Client> {
  const email = uniqueEmail(tag);
  const password = "correct horse battery";
  const reg = await request("POST", "/auth/register/", { body: { email, password, name: tag } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
  const tok = await request("POST", "/auth/token/", { body: { email, password, name: "tests" } });
  if (tok.status !== 201) throw new Error(`token failed: ${tok.status} ${tok.text}`);
  return { email, password, token: tok.json.token, userId: reg.json.id, headers: { authorization: `Bearer ${tok.json.token}` } };
}

export async function createRoom(client: Client, title?: string) {
  const res = await request("POST", "/room/", { token: client.token, body: title === undefined ? {} : { title } });
  if (res.status !== 201) throw new Error(`create room failed: ${res.status} ${res.text}`);
  return res.json as { id: number; user: number; title: string; created_at: string; updated_at: string };
}

/** Sends a message and waits for the JSON reply (docs/chat-turn.md, JSON mode). */
export async function sendMessage(client: Client, roomId: number, message: string) {
  return request("POST", `/room/${roomId}/messages/`, {
    token: client.token,
    body: { message },
    headers: { accept: "application/json" },
  });
}

export async function setRedis(up: boolean) {
  const control = inject("redisControlUrl");
  if (!control) throw new Error("no Redis proxy in this run");
  await fetch(`${control}/${up ? "up" : "down"}`, { method: "POST" });
}

export const hasRedis = () => inject("redisUrl") !== "";

export type SseEvent = { event: string; data: any };

/** Parses a Server-Sent Events body into events, as a client would. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      return { event, data: JSON.parse(data) };
    });
}

/** Reads a response's SSE events as they arrive: `readUntil` a condition holds, or the `rest`. */
export function sseReader(res: Response) {
  const body = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: SseEvent[] = [];
  let ended = false;
  const pump = async () => {
    const { value, done } = await body.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf("\n\n")) >= 0) {
      events.push(...parseSse(buffer.slice(0, at + 2)));
      buffer = buffer.slice(at + 2);
    }
  };
  return {
    events,
    /** Reads until `until` holds for the events so far (or the stream ends). */
    async readUntil(until: (events: SseEvent[]) => boolean) {
      while (!until(events) && !ended) await pump();
      return events;
    },
    async rest() {
      while (!ended) await pump();
      return events;
    },
    cancel: () => body.cancel(),
  };
}

/** Sends a message asking for Server-Sent Events; returns the raw response. */
export function streamMessage(client: Client, roomId: number, message: string, signal?: AbortSignal) {
  return fetch(api(`/room/${roomId}/messages/`), {
    method: "POST",
    headers: { ...client.headers, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ message }),
    signal,
  });
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The rel → URL map of a `Link` header; every part must be well-formed. */
export function links(headers: Headers): Record<string, string> {
  const header = headers.get("link");
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="(next|prev)"$/.exec(part.trim());
    expect(match, `malformed Link part: ${part}`).not.toBeNull();
    out[match![2]!] = match![1]!;
  }
  return out;
}

/** ISO 8601 in UTC with `Z`, as docs/api.md requires (microseconds allowed). */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
