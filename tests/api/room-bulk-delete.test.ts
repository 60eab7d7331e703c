import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, createRoom, hasRedis, newClient, request, sendMessage, type Client } from "../support/api";
import { testDatabase } from "../support/db";

/**
 * docs/api.md#bulk-delete: `POST /room/bulk-delete/ {"ids": [...]}` deletes the caller's rooms
 * among the ids, with their logs and histories, in one transaction; other ids are ignored as if
 * they did not exist.
 */

const sql = testDatabase();
const redisUrl = inject("redisUrl");
const keyPrefix = inject("keyPrefix");
let redis: ReturnType<typeof createClient> | undefined;

beforeAll(async () => {
  if (!redisUrl) return;
  redis = createClient({ url: redisUrl });
  await redis.connect();
});
afterAll(async () => {
  redis?.destroy();
});

const bulkDelete = (client: Client, body: unknown, path = "/room/bulk-delete/") =>
  request("POST", path, { token: client.token, body });

async function roomIds(client: Client, query = "") {
  const res = await request("GET", `/room/${query}`, { token: client.token });
  expect(res.status).toBe(200);
  return (res.json as { id: number }[]).map((room) => room.id).sort((a, b) => a - b);
}

const humanItem = (content: string) =>
  JSON.stringify({
    type: "human",
    data: { content, additional_kwargs: {}, response_metadata: {}, type: "human", name: null, id: null, example: false },
  });

describe("POST /room/bulk-delete/", () => {
  it("deletes the caller's rooms among the ids with their logs, and answers which, in the order given", async () => {
    const alice = await newClient("alice");
    const [a, b, c, d] = [await createRoom(alice, "a"), await createRoom(alice, "b"), await createRoom(alice, "c"), await createRoom(alice, "d")];
    expect((await sendMessage(alice, b.id, "a message to delete with its room")).status).toBe(201);

    const res = await bulkDelete(alice, { ids: [c.id, a.id, b.id] });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual({ deleted: [c.id, a.id, b.id] });
    expect(await roomIds(alice)).toEqual([d.id]);
    for (const room of [a, b, c]) {
      expect((await request("GET", `/room/${room.id}/`, { token: alice.token })).status).toBe(404);
      expect((await request("GET", `/room/${room.id}/logs/`, { token: alice.token })).status).toBe(404);
    }
    if (sql) expect(await sql`select id from chat_logs where chatroom_id = ${b.id}`).toEqual([]);
  });

  it("answers with and without the trailing slash", async () => {
    const alice = await newClient("alice");
    const [a, b] = [await createRoom(alice, "a"), await createRoom(alice, "b")];
    expect((await bulkDelete(alice, { ids: [a.id] }, "/room/bulk-delete")).json).toEqual({ deleted: [a.id] });
    expect((await bulkDelete(alice, { ids: [b.id] }, "/room/bulk-delete/")).json).toEqual({ deleted: [b.id] });
    expect(await roomIds(alice)).toEqual([]);
  });

  it("ignores other users' rooms and unknown ids as if they did not exist", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const mine = await createRoom(alice, "mine");
    const archived = await createRoom(alice, "archived too");
    expect((await request("PATCH", `/room/${archived.id}/`, { token: alice.token, body: { archived: true } })).status).toBe(200);
    const bobs = await createRoom(bob, "bob's");
    const gone = await createRoom(alice, "already gone");
    expect((await request("DELETE", `/room/${gone.id}/`, { token: alice.token })).status).toBe(204);

    const res = await bulkDelete(alice, { ids: [bobs.id, 9_007_199_254_740_991, mine.id, gone.id, archived.id, mine.id] });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ deleted: [mine.id, archived.id] });
    expect(await roomIds(bob)).toEqual([bobs.id]);
    expect(await roomIds(alice)).toEqual([]);
    expect(await roomIds(alice, "?archived=true")).toEqual([]);

    // Nothing of the caller's among them: 200 with nothing deleted, not a 404.
    const none = await bulkDelete(alice, { ids: [bobs.id, 123456789] });
    expect(none.status).toBe(200);
    expect(none.json).toEqual({ deleted: [] });
    expect(await roomIds(bob)).toEqual([bobs.id]);
  });

  it("takes up to 100 ids", async () => {
    const alice = await newClient("alice");
    const rooms = [await createRoom(alice, "one"), await createRoom(alice, "two")];
    const filler = Array.from({ length: 98 }, (_, i) => 1_000_000_000 + i);
    const res = await bulkDelete(alice, { ids: [...filler, ...rooms.map((room) => room.id)] });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ deleted: rooms.map((room) => room.id) });
  });

  it.each<[string, unknown]>([
    ["missing", {}],
    ["null", { ids: null }],
    ["a string", { ids: "1,2" }],
    ["a number", { ids: 1 }],
    ["an object", { ids: { 0: 1 } }],
    ["empty", { ids: [] }],
    ["101 ids", { ids: Array.from({ length: 101 }, (_, i) => i + 1) }],
    ["zero", { ids: [1, 0] }],
    ["negative", { ids: [-3] }],
    ["a fraction", { ids: [1.5] }],
    ["a numeric string", { ids: ["1"] }],
    ["null inside", { ids: [null] }],
    ["past 2^53", { ids: [2 ** 53 + 2] }],
    ["a nested list", { ids: [[1]] }],
  ])("ids %s → 400 {ids: [...]} and nothing deleted", async (_, body) => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "survives");
    const res = await bulkDelete(alice, body);
    expect(res.status, res.text).toBe(400);
    expect(res.json).toEqual({ ids: [expect.any(String)] });
    expect(await roomIds(alice)).toEqual([room.id]);
  });

  it("refuses a body that is not a JSON object as every endpoint does", async () => {
    const alice = await newClient("alice");
    const list = await bulkDelete(alice, [1, 2]);
    expect(list.status).toBe(400);
    expect(list.json).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
    const malformed = await bulkDelete(alice, "{ids: [1]");
    expect(malformed.status).toBe(400);
    expect(malformed.json.detail).toMatch(/^JSON parse error/);
    const text = await request("POST", "/room/bulk-delete/", {
      token: alice.token,
      body: "ids=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(text.status).toBe(415);
  });

  it("answers only POST (405 with Allow), is not taken for a room id, and needs credentials", async () => {
    const alice = await newClient("alice");
    for (const path of ["/room/bulk-delete/", "/room/bulk-delete"]) {
      for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
        const res = await request(method, path, { token: alice.token, body: method === "GET" ? undefined : { ids: [1] } });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.json).toEqual({ detail: `Method "${method}" not allowed.` });
        expect(res.headers.get("allow")).toBe("POST, OPTIONS");
      }
      const options = await request("OPTIONS", path, { token: alice.token });
      expect(options.status).toBe(204);
      expect(options.headers.get("allow")).toBe("POST, OPTIONS");
      const anonymous = await request("POST", path, { body: { ids: [1] } });
      expect(anonymous.status).toBe(401);
    }
    // Deeper paths are not this endpoint; "bulk-delete" is no room id there either.
    expect((await request("GET", "/room/bulk-delete/logs/", { token: alice.token })).status).toBe(404);
  });

  it.runIf(hasRedis())("removes the deleted rooms' Redis histories at once, and only theirs", async () => {
    const alice = await newClient("alice");
    const [a, b, keep] = [await createRoom(alice, "a"), await createRoom(alice, "b"), await createRoom(alice, "keep")];
    for (const room of [a, b, keep]) await redis!.lPush(`${keyPrefix}${room.id}`, humanItem(`remember room ${room.id}`));
    expect(await redis!.exists([`${keyPrefix}${a.id}`, `${keyPrefix}${b.id}`])).toBe(2);

    const res = await bulkDelete(alice, { ids: [a.id, b.id] });
    expect(res.json).toEqual({ deleted: [a.id, b.id] });
    expect(await redis!.exists([`${keyPrefix}${a.id}`, `${keyPrefix}${b.id}`])).toBe(0);
    expect(await redis!.lRange(`${keyPrefix}${keep.id}`, 0, -1)).toEqual([humanItem(`remember room ${keep.id}`)]);
    if (sql) expect(await sql`select room_id from history_purges where room_id in ${sql([a.id, b.id, keep.id])}`).toEqual([]);
    await redis!.del(`${keyPrefix}${keep.id}`);
  });

  it.runIf(hasRedis())("a conversation's history goes with its room", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "chatty");
    expect((await sendMessage(alice, room.id, "remember 42")).status).toBe(201);
    expect(await redis!.exists(`${keyPrefix}${room.id}`)).toBe(1);
    expect((await bulkDelete(alice, { ids: [room.id] })).json).toEqual({ deleted: [room.id] });
    expect(await redis!.exists(`${keyPrefix}${room.id}`)).toBe(0);
  });
});

describe("the OpenAPI document", () => {
  it("documents bulk delete and the archived filter", async () => {
    const doc = await (await fetch(`${baseUrl()}/api/openapi.json`)).json();
    const bulk = doc.paths["/room/bulk-delete/"];
    expect(Object.keys(bulk)).toEqual(["post"]);
    expect(bulk.post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/RoomBulkDelete" });
    expect(doc.components.schemas.RoomBulkDelete.properties.ids).toMatchObject({ type: "array", minItems: 1, maxItems: 100 });
    expect(bulk.post.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/RoomBulkDeleteResult" });
    expect(bulk.post.responses).toHaveProperty("429");
    const listParams = doc.paths["/room/"].get.parameters.map((p: { name: string }) => p.name);
    expect(listParams).toContain("archived");
  });
});
