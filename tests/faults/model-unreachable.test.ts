import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRoom, newClient, parseSse, request, sendMessage, streamMessage } from "../support/api";
import { freePort, startStack, type Stack } from "../support/stack";

/**
 * docs/security.md: errors shown to clients never carry internal addresses, hosts or stack text. The
 * model server is unreachable (a closed port) or failing (the fake's FAIL → 500); clients
 * learn that the model is unavailable and at most the status it answered, nothing more.
 */
const LEAKS = /127\.0\.0\.1|localhost|ECONNREFUSED|ECONNRESET|fetch failed|connect |:\d{2,5}\b|https?:\/\/|at \w+ \(|Error:/i;

describe("the model server is unreachable", () => {
  let stack: Stack;
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await freePort();
    stack = await startStack({ env: { LLM_BASE_URL: `http://127.0.0.1:${closedPort}/v1` } });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const call = (method: string, path: string, token: string, body?: unknown, accept = "application/json") =>
    request(method, `${stack.baseUrl}/api/chatbot${path}`, { token, body, headers: { accept } });

  it("JSON and SSE answers say the model is unavailable, without its address", async () => {
    const email = `model-${Date.now()}@example.com`;
    const password = "correct horse battery";
    expect((await call("POST", "/auth/register/", "", { email, password })).status).toBe(201);
    const token = (await call("POST", "/auth/token/", "", { email, password })).json.token as string;
    const room = (await call("POST", "/room/", token, {})).json as { id: number };

    const json = await call("POST", `/room/${room.id}/messages/`, token, { message: "hello?" });
    expect(json.status).toBe(502);
    expect(json.json).toEqual({ detail: "The model is unavailable." });
    expect(json.text).not.toMatch(LEAKS);
    expect(json.text).not.toContain(String(closedPort));

    const sse = await call("POST", `/room/${room.id}/messages/`, token, { message: "still there?" }, "text/event-stream");
    expect(sse.status).toBe(200);
    const error = parseSse(sse.text).find((e) => e.event === "error");
    expect(error?.data).toEqual({ detail: "The model is unavailable.", status: 502 });
    expect(sse.text).not.toContain(String(closedPort));
    expect(sse.text.replace(/"timestamp":"[^"]+"/g, "")).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch failed/);
  });
});

describe("the model server fails (500)", () => {
  it("the client is told the status, not the model server's own error text", async () => {
    const client = await newClient("model500");
    const room = await createRoom(client, "broken model");
    const res = await sendMessage(client, room.id, "please FAIL");
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ detail: "The model is unavailable: the model server answered 500." });
    expect(res.text).not.toMatch(/failed on purpose|server_error/);

    const stream = await streamMessage(client, room.id, "FAIL again");
    const events = parseSse(await stream.text());
    expect(events.find((e) => e.event === "error")?.data).toEqual({
      detail: "The model is unavailable: the model server answered 500.",
      status: 502,
    });
  });
});
