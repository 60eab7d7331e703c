import { describe, expect, it } from "vitest";
import { api, createRoom, newClient, request, sendMessage, type Client, ISO_UTC, links } from "../support/api";
import { testDatabase } from "../support/db";

/** docs/api.md: GET /api/chatbot/room/{id}/logs/ — ascending, keyset pages with limit + before/after. */

const LOG_KEYS = ["id", "chatroom", "role", "message", "timestamp", "stopped", "model", "usage", "feedback", "feedback_comment"];
const sql = testDatabase();

type Log = { id: number; chatroom: number; role: "user" | "bot"; message: string; timestamp: string };

/** Inserts logs with the given timestamps, in this order; returns their ids. */
async function insertLogs(roomId: number, rows: { message: string; timestamp: string; role?: "user" | "bot" }[]) {
  const ids: number[] = [];
  for (const row of rows) {
    const [inserted] = await sql!`
      insert into chat_logs (chatroom_id, role, message, timestamp)
      values (${roomId}, ${row.role ?? "user"}::chat_role, ${row.message}, ${row.timestamp}::text::timestamptz)
      returning id`;
    ids.push(Number(inserted!.id));
  }
  return ids;
}

/** At least `count` logs in the room (exactly `count` when seeded in Postgres); returns all of them. */
async function seedLogs(client: Client, roomId: number, count: number): Promise<Log[]> {
  if (sql) {
    await sql`
      insert into chat_logs (chatroom_id, role, message, timestamp)
      select ${roomId}::bigint,
             (case when g % 2 = 1 then 'user' else 'bot' end)::chat_role,
             'message ' || g,
             timestamptz '2024-01-01T00:00:00Z' + g * interval '1 second'
      from generate_series(1, ${count}::int) as g`;
  } else {
    for (let i = 0; i < Math.ceil(count / 2); i++) {
      const res = await sendMessage(client, roomId, `message ${i}`);
      if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
    }
  }
  const all = await request("GET", `/room/${roomId}/logs/`, { token: client.token });
  expect(all.status).toBe(200);
  expect(all.json.length).toBeGreaterThanOrEqual(count);
  return all.json;
}

const ids = (logs: { id: number }[]) => logs.map((l) => l.id);

async function getLogs(client: Client, roomId: number, query: string) {
  const res = await request("GET", `/room/${roomId}/logs/${query}`, { token: client.token });
  expect(res.status, res.text).toBe(200);
  expect(Array.isArray(res.json)).toBe(true);
  return { logs: res.json as Log[], links: links(res.headers), headers: res.headers };
}

function expectNotFound(res: { status: number; json: any }) {
  expect(res.status).toBe(404);
  expect(res.json).toEqual({ detail: "Not found." });
}

function expectFieldError(res: { status: number; json: any }, field: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(400);
  expect(Object.keys(res.json)).toEqual([field]);
  expect(res.json[field]).toEqual([expect.any(String)]);
}

describe("GET /room/{id}/logs/ without limit", () => {
  it("is an empty array for a new room, with no Link header", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "empty");
    const res = await request("GET", `/room/${room.id}/logs/`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
    expect(res.headers.get("link")).toBeNull();
  });

  it.runIf(Boolean(sql))("orders by (timestamp, id), not by id alone", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "order");
    const [late, early, midA, midB] = await insertLogs(room.id, [
      { message: "late", timestamp: "2024-03-01T10:00:03Z" },
      { message: "early", timestamp: "2024-03-01T10:00:01Z", role: "bot" },
      { message: "mid a", timestamp: "2024-03-01T10:00:02.5Z" },
      { message: "mid b", timestamp: "2024-03-01T10:00:02.5Z", role: "bot" },
    ]);
    const { logs, headers } = await getLogs(alice, room.id, "");
    expect(ids(logs)).toEqual([early, midA, midB, late]);
    expect(headers.get("link")).toBeNull();
    expect(logs[0]).toMatchObject({ id: early, chatroom: room.id, role: "bot", message: "early", timestamp: "2024-03-01T10:00:01Z" });
    expect(logs[1]).toMatchObject({ message: "mid a", role: "user", timestamp: "2024-03-01T10:00:02.5Z" });
    for (const log of logs) {
      expect(log.timestamp).toMatch(ISO_UTC);
      for (const key of Object.keys(log)) expect(LOG_KEYS).toContain(key);
    }
    const detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(detail.json.chatlogs).toEqual(logs);
  });

  it.runIf(Boolean(sql))("returns every log, however many (more than a page)", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "many");
    const logs = await seedLogs(alice, room.id, 250);
    expect(logs).toHaveLength(250);
    expect(logs[0]!.message).toBe("message 1");
    expect(logs[249]!.message).toBe("message 250");
    expect(new Set(ids(logs)).size).toBe(250);
  });

  it.runIf(Boolean(sql))("keeps the microseconds of a timestamp", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "precise");
    await insertLogs(room.id, [{ message: "m", timestamp: "2024-03-01T10:00:00.123456Z" }]);
    const { logs } = await getLogs(alice, room.id, "");
    expect(logs[0]!.timestamp).toBe("2024-03-01T10:00:00.123456Z");
  });
});

describe("GET /room/{id}/logs/ paging", () => {
  it("limit=N alone gives the newest N, ascending, with a prev link only", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "newest");
    const all = await seedLogs(alice, room.id, 8);
    const page = await getLogs(alice, room.id, "?limit=3");
    expect(page.logs).toEqual(all.slice(-3));
    expect(page.links.next).toBeUndefined();
    const prev = new URL(page.links.prev!);
    expect(prev.pathname).toMatch(new RegExp(`/api/chatbot/room/${room.id}/logs/?$`));
    expect(prev.searchParams.get("limit")).toBe("3");
    expect(prev.searchParams.get("before")).toBe(String(all.at(-3)!.id));
    expect(prev.searchParams.get("after")).toBeNull();
  });

  it("before=<id> gives the N just older than it; after=<id> the N just newer", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "anchors");
    const all = await seedLogs(alice, room.id, 10);
    const n = all.length;
    const anchor = all[n - 4]!;

    const older = await getLogs(alice, room.id, `?limit=3&before=${anchor.id}`);
    expect(older.logs).toEqual(all.slice(n - 7, n - 4));
    expect(older.links.prev).toBeDefined();
    expect(new URL(older.links.prev!).searchParams.get("before")).toBe(String(all[n - 7]!.id));
    expect(older.links.next).toBeDefined();
    expect(new URL(older.links.next!).searchParams.get("after")).toBe(String(all[n - 5]!.id));

    const newer = await getLogs(alice, room.id, `?limit=2&after=${all[1]!.id}`);
    expect(newer.logs).toEqual(all.slice(2, 4));
    expect(newer.links.next).toBeDefined();
    expect(newer.links.prev).toBeDefined();
    expect(new URL(newer.links.prev!).searchParams.get("before")).toBe(String(all[2]!.id));

    // Near the ends: fewer than N, and no link beyond the end.
    const oldest = await getLogs(alice, room.id, `?limit=5&before=${all[2]!.id}`);
    expect(oldest.logs).toEqual(all.slice(0, 2));
    expect(oldest.links.prev).toBeUndefined();
    expect(oldest.links.next).toBeDefined();
    const newest = await getLogs(alice, room.id, `?limit=5&after=${all[n - 2]!.id}`);
    expect(newest.logs).toEqual(all.slice(n - 1));
    expect(newest.links.next).toBeUndefined();
    const none = await getLogs(alice, room.id, `?limit=5&after=${all[n - 1]!.id}`);
    expect(none.logs).toEqual([]);
    expect(none.links.next).toBeUndefined();
    const noneOlder = await getLogs(alice, room.id, `?limit=5&before=${all[0]!.id}`);
    expect(noneOlder.logs).toEqual([]);
    expect(noneOlder.links.prev).toBeUndefined();
  });

  it("walks backwards from the newest page and forwards again with no duplicates or gaps", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "walk");
    const all = await seedLogs(alice, room.id, 11);

    const backwards: Log[][] = [];
    let page = await getLogs(alice, room.id, "?limit=4");
    backwards.push(page.logs);
    while (page.links.prev) {
      page = await getLogs(alice, room.id, page.links.prev.slice(page.links.prev.indexOf("?")));
      backwards.push(page.logs);
      expect(backwards.length).toBeLessThan(20);
    }
    const seenBackwards = [...backwards].reverse().flat();
    expect(ids(seenBackwards)).toEqual(ids(all));
    for (const p of backwards) expect(p.length).toBeLessThanOrEqual(4);

    // The oldest page links forwards; following next from there ends at the newest log.
    const forwards: Log[][] = [backwards.at(-1)!];
    let next = page.links.next;
    while (next) {
      const res = await request("GET", next, { token: alice.token });
      expect(res.status).toBe(200);
      forwards.push(res.json);
      next = links(res.headers).next;
      expect(forwards.length).toBeLessThan(20);
    }
    expect(ids(forwards.flat())).toEqual(ids(all));
  });

  it("limit must be 1–200", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "limits");
    const all = await seedLogs(alice, room.id, 3);
    for (const limit of ["0", "201", "abc", "-1", "2.5", "1e2"]) {
      expectFieldError(await request("GET", `/room/${room.id}/logs/?limit=${limit}`, { token: alice.token }), "limit");
    }
    expect((await getLogs(alice, room.id, "?limit=1")).logs).toEqual(all.slice(-1));
    expect((await getLogs(alice, room.id, "?limit=200")).logs).toEqual(all);
  });
});

describe("GET /room/{id}/logs/ paging (seeded in Postgres)", () => {
  it.runIf(Boolean(sql))("limit=200 of 250 gives the newest 200", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "big");
    const all = await seedLogs(alice, room.id, 250);
    const page = await getLogs(alice, room.id, "?limit=200");
    expect(page.logs).toEqual(all.slice(50));
    const rest = await request("GET", page.links.prev!, { token: alice.token });
    expect(rest.json).toEqual(all.slice(0, 50));
    expect(links(rest.headers).prev).toBeUndefined();
  });

  it.runIf(Boolean(sql))("pages correctly through logs that share one timestamp", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "ties");
    const inserted = await insertLogs(
      room.id,
      Array.from({ length: 10 }, (_, i) => ({ message: `tie ${i}`, timestamp: "2024-06-01T12:00:00Z" })),
    );
    const all = (await getLogs(alice, room.id, "")).logs;
    expect(ids(all)).toEqual(inserted);

    const seen: number[] = [];
    let page = await getLogs(alice, room.id, "?limit=3");
    seen.unshift(...ids(page.logs));
    while (page.links.prev) {
      const res = await request("GET", page.links.prev, { token: alice.token });
      page = { logs: res.json, links: links(res.headers), headers: res.headers };
      seen.unshift(...ids(page.logs));
    }
    expect(seen).toEqual(inserted);

    const forward: number[] = [];
    let after = inserted[0]!;
    for (;;) {
      const next = await getLogs(alice, room.id, `?limit=4&after=${after}`);
      forward.push(...ids(next.logs));
      if (!next.links.next) break;
      after = Number(new URL(next.links.next).searchParams.get("after"));
    }
    expect(forward).toEqual(inserted.slice(1));
  });
});

describe("GET /room/{id}/logs/ errors", () => {
  it("before and after together is a 400", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "both");
    const res = await request("GET", `/room/${room.id}/logs/?limit=2&before=5&after=1`, { token: alice.token });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json)).toHaveLength(1);
    expect(Object.values(res.json)[0]).toEqual([expect.any(String)]);
  });

  it("before/after must be positive integers", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "anchors");
    for (const value of ["0", "-3", "abc", "1.5", "99999999999999999999"]) {
      expectFieldError(await request("GET", `/room/${room.id}/logs/?limit=2&before=${value}`, { token: alice.token }), "before");
      expectFieldError(await request("GET", `/room/${room.id}/logs/?after=${value}`, { token: alice.token }), "after");
    }
  });

  it("an anchor id that is not a log of this room is a 400", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "mine");
    const res1 = await request("GET", `/room/${room.id}/logs/?limit=2&before=999999999999`, { token: alice.token });
    expectFieldError(res1, "before");
    const res2 = await request("GET", `/room/${room.id}/logs/?limit=2&after=999999999999`, { token: alice.token });
    expectFieldError(res2, "after");
  });

  it("a log of another room, even the caller's own, is not an anchor", async () => {
    const alice = await newClient("alice");
    const bob = await newClient("bob");
    const room = await createRoom(alice, "here");
    const otherRoom = await createRoom(alice, "there");
    const bobsRoom = await createRoom(bob, "bob's");
    await seedLogs(alice, room.id, 2);
    const [otherLog] = await seedLogs(alice, otherRoom.id, 2);
    const [bobsLog] = await seedLogs(bob, bobsRoom.id, 2);
    for (const foreign of [otherLog!.id, bobsLog!.id]) {
      expectFieldError(await request("GET", `/room/${room.id}/logs/?limit=2&before=${foreign}`, { token: alice.token }), "before");
      expectFieldError(await request("GET", `/room/${room.id}/logs/?limit=2&after=${foreign}`, { token: alice.token }), "after");
      expectFieldError(await request("GET", `/room/${room.id}/logs/?before=${foreign}`, { token: alice.token }), "before");
    }
  });

  it("another user's room is a 404 whatever the query", async () => {
    const owner = await newClient("owner");
    const stranger = await newClient("stranger");
    const room = await createRoom(owner, "private");
    const logs = await seedLogs(owner, room.id, 3);
    for (const query of ["", "?limit=2", `?limit=2&before=${logs.at(-1)!.id}`, `?after=${logs[0]!.id}`]) {
      expectNotFound(await request("GET", `/room/${room.id}/logs/${query}`, { token: stranger.token }));
    }
    expect((await getLogs(owner, room.id, "")).logs).toEqual(logs);
  });

  it("an unknown or malformed room id is a 404", async () => {
    const alice = await newClient("alice");
    for (const id of ["0", "-1", "abc", "1.5", "99999999999999999999", "9007199254740991"]) {
      expectNotFound(await request("GET", `/room/${id}/logs/`, { token: alice.token }));
    }
  });

  it("needs credentials", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "auth");
    const res = await fetch(api(`/room/${room.id}/logs/`));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: "Authentication credentials were not provided." });
  });
});
