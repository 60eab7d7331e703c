import { afterAll, describe, expect, it } from "vitest";
import { remote } from "../support/remote";
import { startStack, type Stack } from "../support/stack";

// SIGTERM, as a deploy or `docker stop` sends it: the instance drains (not ready, no new
// turns), lets its replies finish within SHUTDOWN_GRACE_MS (then stops and saves them), exits 0.
const stacks: Stack[] = [];
afterAll(async () => {
  for (const stack of stacks.reverse()) await stack.stop();
});

type Log = { role: string; message: string; stopped: boolean };

/** Sends a message as SSE and resolves once `deltas` pieces of the reply have arrived. */
async function startReply(app: ReturnType<typeof remote>, headers: Record<string, string>, roomId: number, message: string, deltas = 3) {
  const res = await fetch(app.url(`/room/${roomId}/messages/`), {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ message }),
  });
  const reader = res.body!.getReader();
  let received = "";
  while ((received.match(/event: delta/g) ?? []).length < deltas) received += new TextDecoder().decode((await reader.read()).value);
  return reader;
}

describe("graceful shutdown (SIGTERM)", () => {
  it("drains: not ready, new turns refused with Retry-After, the reply in progress stored in full, exit 0", async () => {
    const first = await startStack();
    stacks.push(first);
    const app = remote(first.baseUrl);
    const alice = await app.newClient("alice");
    const busy = await app.createRoom(alice, "busy");
    const other = await app.createRoom(alice, "other");
    const reader = await startReply(app, alice.headers, busy.id, "SLOW story across a restart");

    const exited = first.kill!("SIGTERM");
    // While the reply is still being written: not ready, and no new turn is taken.
    await expect.poll(async () => (await fetch(`${first.baseUrl}/api/health`)).status).toBe(503);
    expect(await (await fetch(`${first.baseUrl}/api/health`)).json()).toMatchObject({ status: "draining" });
    const refused = await app.sendMessage(alice, other.id, "a new message during the drain");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.json.detail).toMatch(/shutting down/i);

    // The follower still gets the whole reply, then the process exits 0.
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain("event: done");
    expect(await exited).toBe(0);

    const second = await startStack({ join: first });
    stacks.push(second);
    const logs = await remote(second.baseUrl).request("GET", `/room/${busy.id}/logs/`, { token: alice.token });
    expect(logs.json.map((l: Log) => [l.role, l.stopped])).toEqual([
      ["user", false],
      ["bot", false],
    ]);
    expect(logs.json[1].message.split(" ")).toHaveLength(100);
    // The refused message was never stored.
    const otherLogs = await remote(second.baseUrl).request("GET", `/room/${other.id}/logs/`, { token: alice.token });
    expect(otherLogs.json).toEqual([]);
  }, 120_000);

  it("past SHUTDOWN_GRACE_MS the reply is stopped and saved as stopped, and the process still exits 0", async () => {
    const first = await startStack({ env: { SHUTDOWN_GRACE_MS: "300", LLM_TIMEOUT_MS: "10000" } });
    stacks.push(first);
    const app = remote(first.baseUrl);
    const alice = await app.newClient("alice");
    const room = await app.createRoom(alice, "long");
    await startReply(app, alice.headers, room.id, "CRAWL through a long answer");

    expect(await first.kill!("SIGTERM")).toBe(0);

    const second = await startStack({ join: first });
    stacks.push(second);
    const logs = await remote(second.baseUrl).request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logs.json.map((l: Log) => [l.role, l.stopped])).toEqual([
      ["user", false],
      ["bot", true],
    ]);
    const words = logs.json[1].message.split(" ").length;
    expect(words).toBeGreaterThanOrEqual(3);
    expect(words).toBeLessThan(100);
  }, 120_000);
});
