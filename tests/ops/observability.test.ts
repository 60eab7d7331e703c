import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, eventually, parseSse, type Client } from "../support/api";
import { remote, setProxy, type Remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// Issue 15, logs and metrics: one JSON line per request and per turn with the request id
// the client got, nothing a user wrote in them; GET /api/metrics behind METRICS_TOKEN, and
// every series moving when its event happens. A server of this file's own, so that the
// counts are exactly this file's.

const METRICS_TOKEN = "metrics-test-token-0123456789";
let stack: Stack;
let app: Remote;
let alice: Client;

beforeAll(async () => {
  stack = await startStack({
    env: { METRICS_TOKEN, LOG_LEVEL: "info" },
    proxyPostgres: Boolean(process.env.DATABASE_URL),
  });
  app = remote(stack.baseUrl);
  alice = await app.newClient("observer");
});
afterAll(async () => {
  if (stack?.redisControlUrl) await setProxy(stack.redisControlUrl, true).catch(() => undefined);
  if (stack?.postgresControlUrl) await setProxy(stack.postgresControlUrl, true).catch(() => undefined);
  await stack?.stop();
});

type Sample = { name: string; labels: Record<string, string>; value: number };

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${stack.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return (await res.text())
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the series `name` whose labels include `labels` (0 when it does not exist yet). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}

const metric = async (name: string, labels?: Record<string, string>) => valueOf(await scrape(), name, labels);

/** The server's JSON log lines. */
function logLines(): Record<string, unknown>[] {
  return stack
    .output()
    .split("\n")
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line);
        return parsed && typeof parsed === "object" ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

const waitForLine = (match: (line: Record<string, unknown>) => boolean) =>
  eventually(async () => logLines().find(match), 10_000);

describe("GET /api/metrics", () => {
  it("does not exist without METRICS_TOKEN (the suite's shared server has none)", async () => {
    const res = await fetch(`${baseUrl()}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not found." });
  });

  it("refuses a missing or wrong token with 401", async () => {
    for (const authorization of [undefined, "Bearer wrong-token", `Token ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const res = await fetch(`${stack.baseUrl}/api/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toHaveProperty("detail");
    }
  });

  it("counts requests by route pattern and status, with latency buckets", async () => {
    const list = { name: "ainfo_http_request_duration_seconds_count", labels: { route: "/api/chatbot/room", method: "GET", status: "200" } };
    const missing = { route: "/api/chatbot/room/[id]", method: "GET", status: "404" };
    const before = await scrape();
    for (let i = 0; i < 3; i += 1) expect((await app.request("GET", "/room/", { token: alice.token })).status).toBe(200);
    expect((await app.request("GET", "/room/987654321/", { token: alice.token })).status).toBe(404);
    const after = await scrape();
    expect(valueOf(after, list.name, list.labels) - valueOf(before, list.name, list.labels)).toBe(3);
    expect(valueOf(after, list.name, missing) - valueOf(before, list.name, missing)).toBe(1);
    const inf = { ...list.labels, le: "+Inf" };
    expect(valueOf(after, "ainfo_http_request_duration_seconds_bucket", inf)).toBe(valueOf(after, list.name, list.labels));
    // One series per route, never per id.
    expect(after.some((s) => s.labels.route?.includes("987654321"))).toBe(false);
  });

  it("shows a reply in progress while it streams, then its time to first token and outcome", async () => {
    const room = await app.createRoom(alice, "metrics");
    const firstTokens = await metric("ainfo_reply_first_token_seconds_count");
    const done = await metric("ainfo_replies_total", { outcome: "done" });
    expect(await metric("ainfo_replies_in_progress")).toBe(0);

    const res = await fetch(app.url(`/room/${room.id}/messages/`), {
      method: "POST",
      headers: { ...alice.headers, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: "SLOW please" }),
    });
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("event: delta")) {
      const { value, done: ended } = await reader.read();
      if (ended) throw new Error("the stream ended before its first delta");
      text += new TextDecoder().decode(value);
    }
    expect(await metric("ainfo_replies_in_progress")).toBe(1);
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += new TextDecoder().decode(value);
    }
    expect(parseSse(text).at(-1)?.event).toBe("done");

    await eventually(async () => (await metric("ainfo_replies_in_progress")) === 0);
    expect(await metric("ainfo_reply_first_token_seconds_count")).toBe(firstTokens + 1);
    expect(await metric("ainfo_replies_total", { outcome: "done" })).toBe(done + 1);
  });

  it("counts model errors by status: 502 failed, 504 silent", async () => {
    const room = await app.createRoom(alice, "errors");
    const failed = await metric("ainfo_model_errors_total", { status: "502" });
    const silent = await metric("ainfo_model_errors_total", { status: "504" });
    expect((await app.sendMessage(alice, room.id, "FAIL now")).status).toBe(502);
    expect(await metric("ainfo_model_errors_total", { status: "502" })).toBe(failed + 1);
    expect((await app.sendMessage(alice, room.id, "HANG now")).status).toBe(504);
    expect(await metric("ainfo_model_errors_total", { status: "504" })).toBe(silent + 1);
    expect(await metric("ainfo_model_errors_total", { status: "502" })).toBe(failed + 1);
  });

  it("exposes the process's own metrics", async () => {
    const samples = await scrape();
    expect(valueOf(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === "nodejs_eventloop_lag_seconds")).toBe(true);
  });
});

describe.runIf(process.env.REDIS_URL)("GET /api/metrics with Redis cut off", () => {
  it("counts history-store errors and the purges they leave pending until Redis is back", async () => {
    const room = await app.createRoom(alice, "outage");
    expect((await app.sendMessage(alice, room.id, "before the outage")).status).toBe(201);
    const reads = await metric("ainfo_history_store_errors_total", { operation: "readLast" });
    const appends = await metric("ainfo_history_store_errors_total", { operation: "append" });
    expect(await metric("ainfo_history_purges_pending")).toBe(0);

    await setProxy(stack.redisControlUrl, false);
    try {
      // The context comes from Postgres; the exchange cannot be appended, so the room's
      // history is invalidated: a purge that waits for Redis.
      expect((await app.sendMessage(alice, room.id, "during the outage")).status).toBe(201);
      expect(await metric("ainfo_history_store_errors_total", { operation: "readLast" })).toBe(reads + 1);
      expect(await metric("ainfo_history_store_errors_total", { operation: "append" })).toBe(appends + 1);
      expect(await metric("ainfo_history_store_errors_total", { operation: "clear" })).toBeGreaterThan(0);
      expect(await metric("ainfo_history_purges_pending")).toBe(1);
    } finally {
      await setProxy(stack.redisControlUrl, true);
    }
    await eventually(async () => (await metric("ainfo_history_purges_pending")) === 0, 30_000);
  });
});

describe("logs", () => {
  it("one JSON line per request and per turn, with the X-Request-Id the client got and no message text", async () => {
    const room = await app.createRoom(alice, "logged");
    const secret = `private-words-${Date.now()}`;
    const res = await app.sendMessage(alice, room.id, secret);
    expect(res.status).toBe(201);
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const request = await waitForLine((l) => l.msg === "request" && l.requestId === requestId);
    expect(request).toMatchObject({
      level: "info",
      method: "POST",
      route: "/api/chatbot/room/[id]/messages",
      status: 201,
    });
    expect(typeof request.durationMs).toBe("number");
    expect(typeof request.time).toBe("string");

    const turn = await waitForLine((l) => l.msg === "turn" && l.roomId === room.id);
    expect(turn).toMatchObject({ level: "info", model: "fake-model", outcome: "done" });
    expect(turn.tokens).toBeGreaterThan(0);
    expect(turn.chars).toBe(res.json.bot.message.length);
    expect(typeof turn.firstTokenMs).toBe("number");
    expect(turn.durationMs).toBeGreaterThanOrEqual(turn.firstTokenMs as number);

    const everything = stack.output();
    for (const privateText of [secret, res.json.bot.message, alice.token, alice.password, alice.email]) {
      expect(everything).not.toContain(privateText);
    }
  });

  it("keeps a load balancer's X-Request-Id, and replaces one that is not an id", async () => {
    const given = "lb-7f3a9c2e-0001";
    const kept = await app.request("GET", "/room/", { token: alice.token, headers: { "x-request-id": given } });
    expect(kept.headers.get("x-request-id")).toBe(given);
    await waitForLine((l) => l.msg === "request" && l.requestId === given && l.route === "/api/chatbot/room");

    const junk = await app.request("GET", "/room/", { token: alice.token, headers: { "x-request-id": "a b\"}{<script>" } });
    expect(junk.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("error responses carry their request id, and it is in the error's log line", async () => {
    const res = await app.request("GET", "/room/not-a-number/", { token: alice.token });
    expect(res.status).toBe(404);
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toBeTruthy();
    await waitForLine((l) => l.requestId === requestId && l.status === 404 && l.level === "warn");
  });
});

describe.runIf(process.env.DATABASE_URL)("logs with Postgres cut off", () => {
  it("the 503's request id is in the error log line", async () => {
    await setProxy(stack.postgresControlUrl, false);
    let requestId: string | null;
    try {
      const res = await app.request("GET", "/room/", { token: alice.token });
      expect(res.status).toBe(503);
      requestId = res.headers.get("x-request-id");
    } finally {
      await setProxy(stack.postgresControlUrl, true);
    }
    expect(requestId).toBeTruthy();
    const line = await waitForLine((l) => l.msg === "database unavailable" && l.requestId === requestId);
    expect(line.level).toBe("error");
  });
});
