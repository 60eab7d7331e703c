import { describe, expect, it } from "vitest";
import { api, createRoom, newClient, request, sendMessage } from "../support/api";

/** docs/api.md#conditional-requests: ETag / If-None-Match on room detail, logs and the room list; compression. */

const get = (token: string, path: string, headers: Record<string, string> = {}) =>
  request("GET", path, { token, headers: { accept: "application/json", ...headers } });

describe("conditional GETs", () => {
  it("room detail: a weak ETag, 304 with no body while nothing changed, a new tag after each change", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "etag");
    expect((await sendMessage(alice, room.id, "hello")).status).toBe(201);

    const first = await get(alice.token, `/room/${room.id}/`);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");

    const again = await get(alice.token, `/room/${room.id}/`, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    // Weak comparison, a list of tags, and `*` all match.
    expect((await get(alice.token, `/room/${room.id}/`, { "if-none-match": etag.slice(2) })).status).toBe(304);
    expect((await get(alice.token, `/room/${room.id}/`, { "if-none-match": `W/"other", ${etag}` })).status).toBe(304);
    expect((await get(alice.token, `/room/${room.id}/`, { "if-none-match": "*" })).status).toBe(304);
    expect((await get(alice.token, `/room/${room.id}/`, { "if-none-match": 'W/"stale"' })).status).toBe(200);

    // Each kind of change gives a new tag: a rename, a setting that does not bump
    // updated_at (pinning), and a new message.
    const tags = new Set([etag]);
    const changes = [
      () => request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { title: "renamed" } }),
      () => request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { pinned: true } }),
      () => sendMessage(alice, room.id, "one more"),
    ];
    for (const change of changes) {
      expect((await change()).status).toBeLessThan(300);
      const after = await get(alice.token, `/room/${room.id}/`, { "if-none-match": [...tags].join(", ") });
      expect(after.status).toBe(200);
      const tag = after.headers.get("etag")!;
      expect(tags.has(tag)).toBe(false);
      tags.add(tag);
    }
  });

  it("another user's room is a 404 whatever If-None-Match says", async () => {
    const alice = await newClient("alice");
    const mallory = await newClient("mallory");
    const room = await createRoom(alice, "private");
    const { headers } = await get(alice.token, `/room/${room.id}/`);
    for (const path of [`/room/${room.id}/`, `/room/${room.id}/logs/`]) {
      const res = await get(mallory.token, path, { "if-none-match": headers.get("etag")! });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ detail: "Not found." });
    }
  });

  it("logs, whole and paged: 304 while unchanged, 200 once a log is added", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "logs");
    for (const text of ["a", "b"]) expect((await sendMessage(alice, room.id, text)).status).toBe(201);
    for (const path of [`/room/${room.id}/logs/`, `/room/${room.id}/logs/?limit=2`]) {
      const first = await get(alice.token, path);
      const etag = first.headers.get("etag")!;
      expect(etag).toBeTruthy();
      const again = await get(alice.token, path, { "if-none-match": etag });
      expect(again.status).toBe(304);
      if (path.includes("limit")) expect(again.headers.get("link")).toBe(first.headers.get("link"));
    }
    const tags = await Promise.all(
      [`/room/${room.id}/logs/`, `/room/${room.id}/logs/?limit=2`].map(async (path) => (await get(alice.token, path)).headers.get("etag")!),
    );
    expect(tags[0]).not.toBe(tags[1]); // a page is not the whole
    expect((await sendMessage(alice, room.id, "c")).status).toBe(201);
    for (const [i, path] of [`/room/${room.id}/logs/`, `/room/${room.id}/logs/?limit=2`].entries()) {
      expect((await get(alice.token, path, { "if-none-match": tags[i]! })).status).toBe(200);
    }
  });

  it("the room list: 304 while unchanged, 200 after a room is created or archived", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "one");
    const tagOf = async () => (await get(alice.token, "/room/")).headers.get("etag")!;
    const first = await tagOf();
    expect((await get(alice.token, "/room/", { "if-none-match": first })).status).toBe(304);
    await createRoom(alice, "two");
    const second = await tagOf();
    expect(second).not.toBe(first);
    expect((await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { archived: true } })).status).toBe(200);
    expect((await get(alice.token, "/room/", { "if-none-match": second })).status).toBe(200);
  });

  it("large JSON answers are compressed for clients that accept it, and decode to the same body", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "big");
    const long = "제주도 여행 계획을 세워 봅시다. ".repeat(200);
    expect((await sendMessage(alice, room.id, long)).status).toBe(201);
    const plain = await fetch(api(`/room/${room.id}/logs/`), {
      headers: { authorization: `Bearer ${alice.token}`, "accept-encoding": "identity" },
    });
    const gzipped = await fetch(api(`/room/${room.id}/logs/`), {
      headers: { authorization: `Bearer ${alice.token}`, "accept-encoding": "gzip" },
    });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect(await gzipped.json()).toEqual(await plain.json());
  });
});
