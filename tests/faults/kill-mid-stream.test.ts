import { afterAll, describe, expect, it } from "vitest";
import { remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// The server process is killed (SIGKILL: no shutdown hooks) while a reply streams. The
// user's message was committed before the model was called (docs/chat-turn.md#ordering), so a new server on
// the same database has it, and answers the next message with it in the context.

const stacks: Stack[] = [];
afterAll(async () => {
  for (const stack of stacks.reverse()) await stack.stop(); // the joiner first, the owner drops the database
});

type FakeRequest = { stream?: boolean; messages: { role: string; content: string }[] };

describe("process killed mid-stream", () => {
  it("keeps the user's message; a new server on the same data answers with it in context", async () => {
    const first = await startStack();
    stacks.push(first);
    const app = remote(first.baseUrl);
    const alice = await app.newClient("alice");
    const room = await app.createRoom(alice, "crash");

    const res = await fetch(app.url(`/room/${room.id}/messages/`), {
      method: "POST",
      headers: { ...alice.headers, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: "SLOW story before the crash" }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let received = "";
    while ((received.match(/event: delta/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended early: ${received}`);
      received += new TextDecoder().decode(value);
    }
    expect(received).toContain("event: user");

    await first.kill!("SIGKILL");
    await expect(
      (async () => {
        while (!(await reader.read()).done) {
          // drain until the dead server's socket closes
        }
      })(),
    ).rejects.toThrow();

    const second = await startStack({ join: first });
    stacks.push(second);
    const app2 = remote(second.baseUrl);
    // The same session secret: the token still works (it lives in the database anyway).
    const logs = await app2.request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.status).toBe(200);
    expect(logs.json.map((l: { role: string; message: string }) => [l.role, l.message])).toEqual([
      ["user", "SLOW story before the crash"],
    ]);

    const next = await app2.sendMessage(alice, room.id, "are you back?");
    expect(next.status).toBe(201);
    expect(next.json.bot.message).toBe("Echo: are you back? [context: 2 messages]");
    const sent: FakeRequest[] = await (await fetch(`${second.llmUrl.replace(/\/v1$/, "")}/__requests`)).json();
    const chat = sent.find((r) => r.messages.at(-1)?.content === "are you back?");
    expect(chat?.messages.filter((m) => m.role !== "system")).toEqual([
      { role: "user", content: "SLOW story before the crash" },
      { role: "user", content: "are you back?" },
    ]);
  }, 120_000);
});

describe("server told to stop (SIGTERM) mid-reply", () => {
  it("finishes and stores the reply before it exits, even with its client gone", async () => {
    const first = await startStack();
    stacks.push(first);
    const app = remote(first.baseUrl);
    const alice = await app.newClient("alice");
    const room = await app.createRoom(alice, "shutdown");
    const abort = new AbortController();
    const res = await fetch(app.url(`/room/${room.id}/messages/`), {
      method: "POST",
      headers: { ...alice.headers, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: "SLOW story before the shutdown" }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    let received = "";
    while ((received.match(/event: delta/g) ?? []).length < 3) received += new TextDecoder().decode((await reader.read()).value);
    abort.abort(); // nobody follows the reply any more

    await first.kill!("SIGTERM");
    const second = await startStack({ join: first });
    stacks.push(second);
    const logs = await remote(second.baseUrl).request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json.map((l: { role: string; stopped: boolean }) => [l.role, l.stopped])).toEqual([
      ["user", false],
      ["bot", false],
    ]);
    expect(logs.json[1].message.split(" ")).toHaveLength(100);
  }, 120_000);
});
