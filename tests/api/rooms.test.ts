import { describe, expect, it } from "vitest";
import { api, createRoom, newClient, request, sendMessage, type Client, ISO_UTC, links } from "../support/api";
import { testDatabase } from "../support/db";

/** docs/api.md: /api/chatbot/room/ and /api/chatbot/room/{id}/. */

const LOG_KEYS = ["id", "chatroom", "role", "message", "timestamp", "stopped", "model", "usage", "feedback", "feedback_comment"];
const sql = testDatabase();

async function addMessage(client: Client, roomId: number, message: string) {
  if (sql) {
    await sql`insert into chat_logs (chatroom_id, role, message) values (${roomId}, ${"user"}::chat_role, ${message})`;
    return;
  }
  const res = await sendMessage(client, roomId, message);
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
}

const ROOM_KEYS = ["archived", "created_at", "id", "model", "pinned", "system_prompt", "title", "updated_at", "user"];

/** An ISO timestamp in microseconds, so Postgres's precision is compared exactly. */
function micros(iso: string): bigint {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (!match) throw new Error(`not an ISO UTC timestamp: ${iso}`);
  return BigInt(Date.parse(`${match[1]}Z`)) * 1000n + BigInt((match[2] ?? "").padEnd(6, "0"));
}

function expectRoom(room: any, expected: { user: number; title?: string; id?: number }) {
  expect(Object.keys(room).sort()).toEqual(ROOM_KEYS);
  expect(Number.isSafeInteger(room.id) && room.id > 0).toBe(true);
  expect(room.user).toBe(expected.user);
  if (expected.title !== undefined) expect(room.title).toBe(expected.title);
  if (expected.id !== undefined) expect(room.id).toBe(expected.id);
  expect(room.created_at).toMatch(ISO_UTC);
  expect(room.updated_at).toMatch(ISO_UTC);
}

function expectNotFound(res: { status: number; json: any; headers: Headers }) {
  expect(res.status).toBe(404);
  expect(res.json).toEqual({ detail: "Not found." });
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
}

function expectFieldError(res: { status: number; json: any }, field: string) {
  expect(res.status).toBe(400);
  expect(Object.keys(res.json)).toEqual([field]);
  expect(res.json[field]).toEqual([expect.any(String)]);
}

const ids = (rooms: { id: number }[]) => rooms.map((r) => r.id);

async function listRooms(client: Client, query = "") {
  const res = await request("GET", `/room/${query}`, { token: client.token });
  expect(res.status, res.text).toBe(200);
  expect(Array.isArray(res.json)).toBe(true);
  return res.json as any[];
}

describe("POST /room/", () => {
  it("creates a room owned by the caller with the default title", async () => {
    const alice = await newClient("alice");
    const res = await request("POST", "/room/", { token: alice.token, body: {} });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expectRoom(res.json, { user: alice.userId, title: "새 채팅" });
    expect(res.json.created_at).toBe(res.json.updated_at);
    expect(Math.abs(Date.parse(res.json.created_at) - Date.now())).toBeLessThan(60_000);
  });

  it("creates with no body at all", async () => {
    const alice = await newClient("alice");
    const res = await request("POST", "/room/", { token: alice.token });
    expect(res.status).toBe(201);
    expectRoom(res.json, { user: alice.userId, title: "새 채팅" });
  });

  it("trims the given title", async () => {
    const alice = await newClient("alice");
    const res = await request("POST", "/room/", { token: alice.token, body: { title: "  제주도 여행  " } });
    expect(res.status).toBe(201);
    expectRoom(res.json, { user: alice.userId, title: "제주도 여행" });
  });

  it("makes the caller the owner whatever the body says, and ignores id, timestamps and unknown fields", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const res = await request("POST", "/room/", {
      token: alice.token,
      body: {
        title: "mine",
        user: bob.userId,
        id: 987654321,
        created_at: "2000-01-01T00:00:00Z",
        updated_at: "2000-01-01T00:00:00Z",
        chatlogs: [{ role: "bot", message: "injected" }],
        color: "red",
      },
    });
    expect(res.status).toBe(201);
    expectRoom(res.json, { user: alice.userId, title: "mine" });
    expect(res.json.id).not.toBe(987654321);
    expect(res.json.created_at.startsWith("2000")).toBe(false);
    expect(res.json.updated_at.startsWith("2000")).toBe(false);

    expect(ids(await listRooms(alice))).toEqual([res.json.id]);
    expect(await listRooms(bob)).toEqual([]);
    const detail = await request("GET", `/room/${res.json.id}/`, { token: alice.token });
    expect(detail.json.chatlogs).toEqual([]);
  });

  it("rejects blank, null and non-string titles with a field error", async () => {
    const alice = await newClient("alice");
    for (const title of ["", "   ", "\n\t", null, 42, true, ["a"], { a: 1 }]) {
      const res = await request("POST", "/room/", { token: alice.token, body: { title } });
      expectFieldError(res, "title");
    }
    expect(await listRooms(alice)).toEqual([]);
  });

  it("accepts 100 characters (emoji, Hangul) and rejects 101", async () => {
    const alice = await newClient("alice");
    for (const char of ["😀", "가", "a"]) {
      const ok = await request("POST", "/room/", { token: alice.token, body: { title: char.repeat(100) } });
      expect(ok.status, ok.text).toBe(201);
      expect(ok.json.title).toBe(char.repeat(100));
      const tooLong = await request("POST", "/room/", { token: alice.token, body: { title: char.repeat(101) } });
      expectFieldError(tooLong, "title");
    }
    expect(await listRooms(alice)).toHaveLength(3);
  });

  it("never reuses an id", async () => {
    const alice = await newClient("alice");
    const first = await createRoom(alice, "first");
    expect((await request("DELETE", `/room/${first.id}/`, { token: alice.token })).status).toBe(204);
    const second = await createRoom(alice, "second");
    expect(second.id).toBeGreaterThan(first.id);
  });
});

describe("GET /room/", () => {
  it("lists only the caller's rooms, most recently active first, without chatlogs", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const a = await createRoom(alice, "A");
    const b = await createRoom(alice, "B");
    const c = await createRoom(alice, "C");
    await createRoom(bob, "bob's");

    const rooms = await listRooms(alice);
    expect(ids(rooms)).toEqual([c.id, b.id, a.id]);
    for (const room of rooms) expectRoom(room, { user: alice.userId });
    expect(rooms.map((r) => r.title)).toEqual(["C", "B", "A"]);

    // Renaming is activity: the renamed room moves to the top.
    const renamed = await request("PATCH", `/room/${a.id}/`, { token: alice.token, body: { title: "A2" } });
    expect(renamed.status).toBe(200);
    expect(micros(renamed.json.updated_at)).toBeGreaterThan(micros(a.updated_at));
    expect(renamed.json.created_at).toBe(a.created_at);
    expect(ids(await listRooms(alice))).toEqual([a.id, c.id, b.id]);

    const put = await request("PUT", `/room/${b.id}/`, { token: alice.token, body: { title: "B2" } });
    expect(put.status).toBe(200);
    expect(ids(await listRooms(alice))).toEqual([b.id, a.id, c.id]);
  });

  it("is empty for a new user", async () => {
    const alice = await newClient("alice");
    const res = await request("GET", "/room/", { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
    expect(res.headers.get("link")).toBeNull();
  });
});

describe("GET /room/{id}/", () => {
  it("returns the room with chatlogs (empty for a new room)", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "detail");
    const res = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual([...ROOM_KEYS, "chatlogs"].sort());
    const { chatlogs, ...rest } = res.json;
    expect(rest).toEqual(room);
    expect(chatlogs).toEqual([]);
  });

  it("returns every log, ascending, in the Log shape", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "with logs");
    for (const text of ["first message", "second message", "third message"]) await addMessage(alice, room.id, text);

    const res = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(res.status).toBe(200);
    const logs = res.json.chatlogs as any[];
    expect(logs.length).toBeGreaterThanOrEqual(3);
    const userTexts = logs.filter((l) => l.role === "user").map((l) => l.message);
    expect(userTexts).toEqual(["first message", "second message", "third message"]);
    for (const log of logs) {
      expect(log).toMatchObject({
        id: expect.any(Number),
        chatroom: room.id,
        role: expect.stringMatching(/^(user|bot)$/),
        message: expect.any(String),
        timestamp: expect.stringMatching(ISO_UTC),
      });
      for (const key of Object.keys(log)) expect(LOG_KEYS).toContain(key);
    }
    for (let i = 1; i < logs.length; i++) {
      const [prev, cur] = [logs[i - 1], logs[i]];
      const order = micros(prev.timestamp) === micros(cur.timestamp) ? prev.id < cur.id : micros(prev.timestamp) < micros(cur.timestamp);
      expect(order).toBe(true);
    }
    // The logs endpoint agrees with the detail view.
    const logsRes = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(logsRes.json).toEqual(logs);
  });
});

describe("PATCH and PUT /room/{id}/", () => {
  for (const method of ["PATCH", "PUT"] as const) {
    it(`${method} renames, trimming the title`, async () => {
      const alice = await newClient("alice");
      const room = await createRoom(alice, "old");
      const res = await request(method, `/room/${room.id}/`, { token: alice.token, body: { title: "  new name \n" } });
      expect(res.status).toBe(200);
      expectRoom(res.json, { user: alice.userId, title: "new name", id: room.id });
      expect(res.json.created_at).toBe(room.created_at);
      const detail = await request("GET", `/room/${room.id}`, { token: alice.token });
      expect(detail.json.title).toBe("new name");
      expect(detail.json.updated_at).toBe(res.json.updated_at);
    });

    it(`${method} rejects blank and wrongly typed titles with 400, never 500`, async () => {
      const alice = await newClient("alice");
      const room = await createRoom(alice, "keep me");
      for (const title of ["", "    ", null, 123, 1.5, false, [], {}, ["x"]]) {
        const res = await request(method, `/room/${room.id}/`, { token: alice.token, body: { title } });
        expectFieldError(res, "title");
      }
      const detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
      expect(detail.json.title).toBe("keep me");
      expect(detail.json.updated_at).toBe(room.updated_at);
    });

    it(`${method} accepts 100 emoji or Hangul characters and rejects 101`, async () => {
      const alice = await newClient("alice");
      const room = await createRoom(alice);
      for (const title of ["😀".repeat(100), "한".repeat(100), `  ${"글".repeat(100)}  `]) {
        const res = await request(method, `/room/${room.id}/`, { token: alice.token, body: { title } });
        expect(res.status, res.text).toBe(200);
        expect(res.json.title).toBe(title.trim());
      }
      for (const title of ["😀".repeat(101), "한".repeat(101), "x".repeat(101)]) {
        const res = await request(method, `/room/${room.id}/`, { token: alice.token, body: { title } });
        expectFieldError(res, "title");
        expect(res.json.title[0]).toMatch(/100/);
      }
      const detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
      expect(detail.json.title).toBe("글".repeat(100));
    });

    it(`${method} ignores user, id, created_at and unknown fields`, async () => {
      const alice = await newClient("alice");
      const bob = await newClient("bob");
      const room = await createRoom(alice, "mine");
      const res = await request(method, `/room/${room.id}/`, {
        token: alice.token,
        body: { title: "still mine", user: bob.userId, id: room.id + 1000, created_at: "2000-01-01T00:00:00Z", extra: 1 },
      });
      expect(res.status).toBe(200);
      expectRoom(res.json, { user: alice.userId, title: "still mine", id: room.id });
      expect(res.json.created_at).toBe(room.created_at);
      expect(await listRooms(bob)).toEqual([]);
    });
  }

  it("PUT requires a title; PATCH without one changes nothing", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "same");
    const put = await request("PUT", `/room/${room.id}/`, { token: alice.token, body: {} });
    expect(put.status).toBe(400);
    expect(put.json).toEqual({ title: ["This field is required."] });

    const patch = await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { other: "x" } });
    expect(patch.status).toBe(200);
    expect(patch.json).toEqual(room);
  });
});

describe("DELETE /room/{id}/", () => {
  it("answers 204 with an empty body, then the room is gone", async () => {
    const alice = await newClient("alice");
    const keep = await createRoom(alice, "keep");
    const room = await createRoom(alice, "doomed");
    const res = await fetch(api(`/room/${room.id}/`), { method: "DELETE", headers: alice.headers });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    expectNotFound(await request("GET", `/room/${room.id}/`, { token: alice.token }));
    expectNotFound(await request("GET", `/room/${room.id}/logs/`, { token: alice.token }));
    expectNotFound(await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { title: "x" } }));
    expectNotFound(await request("DELETE", `/room/${room.id}/`, { token: alice.token }));
    expect(ids(await listRooms(alice))).toEqual([keep.id]);
  });

  it.runIf(Boolean(sql))("deletes the room's logs too", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "logs go too");
    await addMessage(alice, room.id, "one");
    await addMessage(alice, room.id, "two");
    const [before] = await sql!`select count(*)::int as n from chat_logs where chatroom_id = ${room.id}`;
    expect(before!.n).toBe(2);
    expect((await request("DELETE", `/room/${room.id}/`, { token: alice.token })).status).toBe(204);
    const [after] = await sql!`select count(*)::int as n from chat_logs where chatroom_id = ${room.id}`;
    expect(after!.n).toBe(0);
  });
});

describe("someone else's room", () => {
  it("is 404 for GET, PATCH, PUT, DELETE and logs, and stays intact", async () => {
    const owner = await newClient("owner");
    const stranger = await newClient("stranger");
    const room = await createRoom(owner, "private");

    expectNotFound(await request("GET", `/room/${room.id}/`, { token: stranger.token }));
    expectNotFound(await request("GET", `/room/${room.id}`, { token: stranger.token }));
    expectNotFound(await request("PATCH", `/room/${room.id}/`, { token: stranger.token, body: { title: "pwned" } }));
    expectNotFound(await request("PUT", `/room/${room.id}/`, { token: stranger.token, body: { title: "pwned" } }));
    // Not even a validation error leaks that the room exists.
    expectNotFound(await request("PATCH", `/room/${room.id}/`, { token: stranger.token, body: { title: "" } }));
    expectNotFound(await request("PUT", `/room/${room.id}/`, { token: stranger.token, body: {} }));
    expectNotFound(await request("DELETE", `/room/${room.id}/`, { token: stranger.token }));
    expectNotFound(await request("GET", `/room/${room.id}/logs/`, { token: stranger.token }));
    expectNotFound(await request("GET", `/room/${room.id}/logs/?limit=5`, { token: stranger.token }));

    const detail = await request("GET", `/room/${room.id}/`, { token: owner.token });
    expect(detail.status).toBe(200);
    expect(detail.json).toEqual({ ...room, chatlogs: [] });
    expect(ids(await listRooms(owner))).toEqual([room.id]);
    expect(await listRooms(stranger)).toEqual([]);
  });
});

describe("room ids", () => {
  const bad = ["0", "-1", "abc", "99999999999999999999", "9223372036854775808", "9007199254740993", "1.5", "1e3", "0x10"];
  it.each(bad)("%s is a 404 for every method, never a 500", async (id) => {
    const alice = await newClient("alice");
    await createRoom(alice, "exists");
    expectNotFound(await request("GET", `/room/${id}/`, { token: alice.token }));
    expectNotFound(await request("GET", `/room/${id}`, { token: alice.token }));
    expectNotFound(await request("PATCH", `/room/${id}/`, { token: alice.token, body: { title: "x" } }));
    expectNotFound(await request("PUT", `/room/${id}/`, { token: alice.token, body: { title: "x" } }));
    expectNotFound(await request("DELETE", `/room/${id}/`, { token: alice.token }));
    expectNotFound(await request("GET", `/room/${id}/logs/`, { token: alice.token }));
  });

  it("an id that was never issued is a 404", async () => {
    const alice = await newClient("alice");
    expectNotFound(await request("GET", `/room/9007199254740991/`, { token: alice.token }));
    expectNotFound(await request("DELETE", `/room/9007199254740991/`, { token: alice.token }));
  });
});

describe("trailing slash", () => {
  it("/room and /room/ answer directly", async () => {
    const alice = await newClient("alice");
    for (const path of ["/room", "/room/"]) {
      const created = await request("POST", path, { token: alice.token, body: { title: path } });
      expect(created.status, path).toBe(201);
      const listed = await request("GET", path, { token: alice.token });
      expect(listed.status, path).toBe(200);
      expect(listed.headers.get("location")).toBeNull();
    }
    expect((await listRooms(alice)).map((r) => r.title).sort()).toEqual(["/room", "/room/"]);
  });

  it("/room/{id} and /room/{id}/ (and logs) answer directly for every method", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "slash");
    for (const suffix of ["", "/"]) {
      const get = await request("GET", `/room/${room.id}${suffix}`, { token: alice.token });
      expect(get.status).toBe(200);
      expect(get.json.id).toBe(room.id);
      const patch = await request("PATCH", `/room/${room.id}${suffix}`, { token: alice.token, body: { title: `t${suffix}` } });
      expect(patch.status).toBe(200);
      expect(patch.json.title).toBe(`t${suffix}`);
      const put = await request("PUT", `/room/${room.id}${suffix}`, { token: alice.token, body: { title: `p${suffix}` } });
      expect(put.status).toBe(200);
      const logs = await request("GET", `/room/${room.id}/logs${suffix}`, { token: alice.token });
      expect(logs.status).toBe(200);
      expect(logs.json).toEqual([]);
    }
    const other = await createRoom(alice, "delete without slash");
    const del = await request("DELETE", `/room/${other.id}`, { token: alice.token });
    expect(del.status).toBe(204);
  });
});

describe("GET /room/?limit= (keyset paging)", () => {
  async function walk(client: Client, firstUrl: string, rel: "next" | "prev") {
    const pages: any[][] = [];
    const linkSets: Record<string, string>[] = [];
    let url: string | undefined = firstUrl;
    while (url) {
      const res = await request("GET", url, { token: client.token });
      expect(res.status, res.text).toBe(200);
      expect(Array.isArray(res.json)).toBe(true);
      pages.push(res.json);
      const l = links(res.headers);
      linkSets.push(l);
      url = l[rel];
      expect(pages.length).toBeLessThan(20);
    }
    return { pages, linkSets };
  }

  it("walks every page forwards then backwards with no duplicates or gaps", async () => {
    const alice = await newClient("alice");
    for (let i = 1; i <= 7; i++) await createRoom(alice, `room ${i}`);
    const all = ids(await listRooms(alice));
    expect(all).toHaveLength(7);

    const forwards = await walk(alice, api("/room/?limit=3"), "next");
    expect(forwards.pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(forwards.pages.flat().map((r) => r.id)).toEqual(all);
    expect(forwards.linkSets[0]!.prev).toBeUndefined();
    expect(forwards.linkSets[1]!.prev).toBeDefined();
    expect(forwards.linkSets[2]!.next).toBeUndefined();
    for (const page of forwards.pages) for (const room of page) expectRoom(room, { user: alice.userId });
    // The cursor is opaque, and the page size is kept in the links.
    const next = new URL(forwards.linkSets[0]!.next!);
    expect(next.pathname).toMatch(/\/api\/chatbot\/room\/?$/);
    expect(next.searchParams.get("limit")).toBe("3");
    expect(next.searchParams.get("cursor")).toMatch(/^[A-Za-z0-9_\-.~%=]+$/);

    const lastPage = forwards.linkSets.at(-1)!;
    expect(lastPage.prev).toBeDefined();
    const backwards = await walk(alice, lastPage.prev!, "prev");
    expect(backwards.pages.map((p) => p.length)).toEqual([3, 3]);
    const seen = [...backwards.pages].reverse().flat().map((r) => r.id);
    expect([...seen, ...forwards.pages[2]!.map((r) => r.id)]).toEqual(all);
    expect(backwards.linkSets.at(-1)!.prev).toBeUndefined();
    expect(backwards.linkSets.at(-1)!.next).toBeDefined();
  });

  it("a page that holds everything has no Link header", async () => {
    const alice = await newClient("alice");
    await createRoom(alice, "one");
    await createRoom(alice, "two");
    const res = await request("GET", "/room/?limit=5", { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(2);
    expect(res.headers.get("link")).toBeNull();
  });

  it("limit=1 and limit=200 are valid", async () => {
    const alice = await newClient("alice");
    const a = await createRoom(alice, "a");
    const b = await createRoom(alice, "b");
    const one = await request("GET", "/room/?limit=1", { token: alice.token });
    expect(one.status).toBe(200);
    expect(ids(one.json)).toEqual([b.id]);
    expect(links(one.headers).next).toBeDefined();
    const second = await request("GET", links(one.headers).next!, { token: alice.token });
    expect(ids(second.json)).toEqual([a.id]);
    const max = await request("GET", "/room/?limit=200", { token: alice.token });
    expect(max.status).toBe(200);
    expect(ids(max.json)).toEqual([b.id, a.id]);
  });

  it.runIf(Boolean(sql))("breaks ties on updated_at by id, across pages", async () => {
    const alice = await newClient("alice");
    for (let i = 0; i < 5; i++) await createRoom(alice, `tie ${i}`);
    await sql!`update chat_rooms set updated_at = '2024-05-05T05:05:05.123456Z' where user_id = ${alice.userId}`;
    const all = ids(await listRooms(alice));
    expect(all).toEqual([...all].sort((x, y) => y - x));
    const forwards = await walk(alice, api("/room/?limit=2"), "next");
    expect(forwards.pages.flat().map((r) => r.id)).toEqual(all);
    const backwards = await walk(alice, forwards.linkSets.at(-1)!.prev!, "prev");
    expect([...backwards.pages].reverse().flat().map((r) => r.id)).toEqual(all.slice(0, all.length - forwards.pages.at(-1)!.length));
  });

  it.each(["0", "201", "abc", "-1", "1.5"])("limit=%s is a 400", async (limit) => {
    const alice = await newClient("alice");
    const res = await request("GET", `/room/?limit=${limit}`, { token: alice.token });
    expectFieldError(res, "limit");
  });

  it("an invalid or forged cursor is a 400, never a 500", async () => {
    const alice = await newClient("alice");
    await createRoom(alice, "x");
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const invalid = ["abc", "!!!", "", b64({ a: 1 }), b64(["x", "2024-01-01T00:00:00Z", 1]), b64(["n", "not a date", 1]), b64(["n", "2024-01-01T00:00:00Z", -5]), b64(["n", "2024-01-01 00:00:00+00", 1, 7]), "a".repeat(500)];
    for (const cursor of invalid) {
      const res = await request("GET", `/room/?limit=2&cursor=${encodeURIComponent(cursor)}`, { token: alice.token });
      expect(res.status, `cursor ${cursor}: ${res.text}`).toBe(400);
      expect(Object.keys(res.json)).toEqual(["cursor"]);
    }
    // Well-formed JSON whose date JavaScript accepts but Postgres does not.
    for (const stamp of ["1", "0000-01-01", "2024-02-31T00:00:00Z", "2024-01-01T00:00:00+99:00"]) {
      const res = await request("GET", `/room/?limit=2&cursor=${b64(["n", stamp, 1])}`, { token: alice.token });
      expect([200, 400], `cursor date ${stamp}: ${res.status} ${res.text}`).toContain(res.status);
    }
    // A well-formed position is just a position: everything older than the far future.
    const future = await request("GET", `/room/?limit=2&cursor=${b64(["n", "2999-01-01 00:00:00+00", 1])}`, { token: alice.token });
    expect(future.status).toBe(200);
    expect(future.json.map((r: any) => r.title)).toEqual(["x"]);
  });
});

describe("GET /room/?q= (search)", () => {
  it("matches titles case-insensitively, Korean substrings too, and only the caller's rooms", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const jeju = await createRoom(alice, "제주도 여행");
    const seoul = await createRoom(alice, "Seoul Trip Plan");
    await createRoom(alice, "Cooking");
    await createRoom(bob, "제주도 맛집");

    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("제주")}`))).toEqual([jeju.id]);
    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("도 여")}`))).toEqual([jeju.id]);
    expect(ids(await listRooms(alice, "?q=SEOUL"))).toEqual([seoul.id]);
    expect(ids(await listRooms(alice, "?q=trip%20p"))).toEqual([seoul.id]);
    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("  seoul  ")}`))).toEqual([seoul.id]);
    expect(await listRooms(alice, "?q=nothing-like-this")).toEqual([]);
    expect(await listRooms(alice, `?q=${encodeURIComponent("맛집")}`)).toEqual([]);
    expect(await listRooms(alice, "?q=")).toHaveLength(3);
  });

  it("treats %, _ and \\ literally", async () => {
    const alice = await newClient("alice");
    const percent = await createRoom(alice, "100% 완료");
    const underscore = await createRoom(alice, "snake_case");
    const backslash = await createRoom(alice, "C:\\temp");
    await createRoom(alice, "snakeXcase 1000 완료");

    expect(ids(await listRooms(alice, "?q=%25"))).toEqual([percent.id]);
    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("0% 완")}`))).toEqual([percent.id]);
    expect(ids(await listRooms(alice, "?q=_"))).toEqual([underscore.id]);
    expect(ids(await listRooms(alice, "?q=e_c"))).toEqual([underscore.id]);
    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("\\")}`))).toEqual([backslash.id]);
    expect(await listRooms(alice, "?q=%25%25")).toEqual([]);
  });

  it("matches message text, case-insensitively, Korean substrings too", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const busan = await createRoom(alice, "Plan A");
    const hello = await createRoom(alice, "Plan B");
    const quiet = await createRoom(alice, "Plan C");
    const bobs = await createRoom(bob, "Bob's");
    await addMessage(alice, busan.id, "부산 해운대 맛집 추천해줘");
    await addMessage(alice, hello.id, "Hello WORLD from the REST API");
    await addMessage(alice, quiet.id, "nothing to see");
    await addMessage(bob, bobs.id, "부산 해운대 맛집");

    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("해운")}`))).toEqual([busan.id]);
    expect(ids(await listRooms(alice, `?q=${encodeURIComponent("맛집 추천")}`))).toEqual([busan.id]);
    expect(ids(await listRooms(alice, "?q=world%20from"))).toEqual([hello.id]);
    expect(ids(await listRooms(alice, "?q=hello"))).toEqual([hello.id]);
    // Title or message: "Plan" is in every title.
    expect(ids(await listRooms(alice, "?q=plan")).sort()).toEqual([busan.id, hello.id, quiet.id].sort());
    expect(await listRooms(alice, `?q=${encodeURIComponent("부산맛집")}`)).toEqual([]);
    expect(ids(await listRooms(bob, `?q=${encodeURIComponent("해운")}`))).toEqual([bobs.id]);
  });

  it("finds two-character terms in message text by the bigram index: any case, any position, no false hits", async () => {
    const alice = await newClient("alice");
    const [start, middle, end, latin, split, none] = await Promise.all(
      ["one", "two", "three", "four", "five", "six"].map((title) => createRoom(alice, title)),
    );
    await addMessage(alice, start!.id, "제주 바다");
    await addMessage(alice, middle!.id, "다음 달 제주도 가요");
    await addMessage(alice, end!.id, "가고 싶은 곳은 제주");
    await addMessage(alice, latin!.id, "Booking an XY-plane");
    await addMessage(alice, split!.id, "제 주소는"); // 제 and 주, but not 제주
    await addMessage(alice, none!.id, "서울");

    const found = async (q: string) => ids(await listRooms(alice, `?q=${encodeURIComponent(q)}`)).sort();
    expect(await found("제주")).toEqual([start!.id, middle!.id, end!.id].sort());
    expect(await found("xy")).toEqual([latin!.id]);
    expect(await found("Xy")).toEqual([latin!.id]);
    expect(await found("주소")).toEqual([split!.id]);
    expect(await found("울산")).toEqual([]);
  });

  it.runIf(Boolean(sql))("plans a two-character search on the bigram index, three characters on the trigram index", async () => {
    // A table scan would be chosen for a tiny table whatever the indexes; ask the planner which index fits.
    await sql!.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      const two = await tx.unsafe("explain select 1 from chat_logs where chat_bigrams(message) @> array[lower($1)] and message ilike $2", ["제주", "%제주%"]);
      expect(two.map((r) => String(r["QUERY PLAN"])).join("\n")).toContain("chat_logs_message_bigram_idx");
      const three = await tx.unsafe("explain select 1 from chat_logs where message ilike $1", ["%제주도%"]);
      expect(three.map((r) => String(r["QUERY PLAN"])).join("\n")).toContain("chat_logs_message_trgm_idx");
    });
  });

  it("pages through search results, keeping q in the links", async () => {
    const alice = await newClient("alice");
    const matching: number[] = [];
    for (let i = 0; i < 5; i++) {
      matching.unshift((await createRoom(alice, `여행 ${i}`)).id);
      await createRoom(alice, `other ${i}`);
    }
    const first = await request("GET", `/room/?limit=2&q=${encodeURIComponent("여행")}`, { token: alice.token });
    expect(first.status).toBe(200);
    const seen = ids(first.json);
    let next = links(first.headers).next;
    expect(new URL(next!).searchParams.get("q")).toBe("여행");
    while (next) {
      const page = await request("GET", next, { token: alice.token });
      seen.push(...ids(page.json));
      next = links(page.headers).next;
    }
    expect(seen).toEqual(matching);
  });

  it("rejects a query over 200 characters or with a NUL byte", async () => {
    const alice = await newClient("alice");
    expectFieldError(await request("GET", `/room/?q=${"a".repeat(201)}`, { token: alice.token }), "q");
    expectFieldError(await request("GET", "/room/?q=a%00b", { token: alice.token }), "q");
    expect((await request("GET", `/room/?q=${"a".repeat(200)}`, { token: alice.token })).status).toBe(200);
  });
});
