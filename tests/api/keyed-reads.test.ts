import { describe, expect, it } from "vitest";
import { createRoom, newClient, request, sendMessage } from "../support/api";

/**
 * The rendered reads (docs/api.md#rendered-reads) look a bearer token up inside their own
 * statement. Over HTTP they must answer exactly as every other route does: 401 for a token
 * that is no one's, before any other error; 404 for someone else's room; a session works too.
 */
const READS = (roomId: number) => ["/room/", `/room/${roomId}/`, `/room/${roomId}/logs/`];

describe("reads that look the token up themselves", () => {
  it("answer a well-formed token that is no one's (or revoked) with 401, before a bad parameter's 400", async () => {
    const alice = await newClient("keyed");
    const room = await createRoom(alice, "keyed");
    const nobody = `ainfo_${"A".repeat(43)}`;
    for (const path of READS(room.id)) {
      const res = await request("GET", path, { token: nobody });
      expect(res.status, path).toBe(401);
      expect(res.json, path).toEqual({ detail: "Invalid token." });
      expect(res.headers.get("www-authenticate"), path).toMatch(/invalid_token/);
    }
    // Not even shaped like one of ours: refused without a query, the same answer.
    expect((await request("GET", "/room/", { token: "garbage" })).status).toBe(401);
    // A bad query parameter does not hide the 401…
    expect((await request("GET", "/room/?archived=maybe", { token: nobody })).status).toBe(401);
    expect((await request("GET", `/room/${room.id}/logs/?limit=0`, { token: nobody })).status).toBe(401);
    // …and with a good token it is the 400 it always was.
    expect((await request("GET", "/room/?archived=maybe", { token: alice.token })).json).toEqual({ archived: ["Must be a valid boolean."] });

    // Revoked: refused at once.
    const extra = await request("POST", "/auth/token/", { body: { email: alice.email, password: alice.password, name: "short-lived" } });
    expect(extra.status).toBe(201);
    expect((await request("GET", `/room/${room.id}/`, { token: extra.json.token })).status).toBe(200);
    expect((await request("DELETE", `/auth/tokens/${extra.json.id}/`, { token: alice.token })).status).toBe(204);
    for (const path of READS(room.id)) expect((await request("GET", path, { token: extra.json.token })).status, path).toBe(401);
  });

  it("keep every room its owner's: another user's token gets 404, and its own empty list", async () => {
    const alice = await newClient("keyed-owner");
    const mallory = await newClient("keyed-other");
    const room = await createRoom(alice, "private");
    expect((await sendMessage(alice, room.id, "secret")).status).toBe(201);
    expect((await request("GET", `/room/${room.id}/`, { token: mallory.token })).status).toBe(404);
    expect((await request("GET", `/room/${room.id}/logs/`, { token: mallory.token })).status).toBe(404);
    expect((await request("GET", "/room/", { token: mallory.token })).json).toEqual([]);
    const own = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(own.json.map((log: { role: string; message: string }) => [log.role, log.message])).toEqual([
      ["user", "secret"],
      ["bot", expect.any(String)],
    ]);
    expect(own.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("record the token's use, as every other route does", async () => {
    const alice = await newClient("keyed-use");
    const minted = await request("POST", "/auth/token/", { body: { email: alice.email, password: alice.password, name: "reader" } });
    expect(minted.status).toBe(201);
    const lastUsed = async () =>
      (await request("GET", "/auth/tokens/", { token: alice.token })).json.find((t: { id: number }) => t.id === minted.json.id).last_used_at;
    expect(await lastUsed()).toBeNull();
    expect((await request("GET", "/room/", { token: minted.json.token })).status).toBe(200);
    expect(await lastUsed()).toMatch(/Z$/);
  });
});
