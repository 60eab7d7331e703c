import { describe, expect, it } from "vitest";
import { api, createRoom, links, newClient, request, type Client } from "../support/api";
import { testDatabase } from "../support/db";

/**
 * docs/api.md#paging, SPEC §11: `PATCH /room/{id}/` pins and archives; `GET /room/` lists the
 * pinned rooms first, then the rest, each by recent activity, and leaves archived rooms out
 * unless `?archived=true`, which lists only them.
 */

const sql = testDatabase();

type Room = { id: number; title: string; updated_at: string; pinned: boolean; archived: boolean };

const ids = (rooms: { id: number }[]) => rooms.map((room) => room.id);

async function list(client: Client, query = "") {
  const res = await request("GET", `/room/${query}`, { token: client.token });
  expect(res.status, res.text).toBe(200);
  return res.json as Room[];
}

async function patch(client: Client, roomId: number, body: Record<string, unknown>, slash = true) {
  const res = await request("PATCH", `/room/${roomId}${slash ? "/" : ""}`, { token: client.token, body });
  expect(res.status, res.text).toBe(200);
  return res.json as Room;
}

/** Renaming bumps `updated_at`: the room becomes the most recently active. */
const touch = (client: Client, room: { id: number; title: string }) => patch(client, room.id, { title: `${room.title}.` });

/** Creates rooms one after another: the last created is the most recently active. */
async function rooms(client: Client, count: number, prefix = "room") {
  const created = [];
  for (let i = 0; i < count; i++) created.push(await createRoom(client, `${prefix} ${i}`));
  return created;
}

/** Follows one `Link` relation to its end; every page must be a 200 array. */
async function walk(client: Client, firstUrl: string, rel: "next" | "prev") {
  const pages: Room[][] = [];
  const linkSets: Record<string, string>[] = [];
  let url: string | undefined = firstUrl;
  while (url) {
    const res = await request("GET", url, { token: client.token });
    expect(res.status, res.text).toBe(200);
    pages.push(res.json);
    const rels = links(res.headers);
    linkSets.push(rels);
    url = rels[rel];
    expect(pages.length).toBeLessThan(30);
  }
  return { pages, linkSets };
}

/**
 * Every page forwards from the first, then every page backwards from the last one's `prev`:
 * both must give exactly `expected`, in order, with no room missing or repeated.
 */
async function expectPagingWalks(client: Client, query: string, expected: number[], limit: number) {
  const forwards = await walk(client, api(`/room/?limit=${limit}${query}`), "next");
  expect(forwards.pages.flat().map((room) => room.id)).toEqual(expected);
  expect(forwards.pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
  expect(forwards.linkSets[0]!.prev).toBeUndefined();
  if (forwards.pages.length === 1) return;

  const last = forwards.pages.at(-1)!;
  const backwards = await walk(client, forwards.linkSets.at(-1)!.prev!, "prev");
  const before = [...backwards.pages].reverse().flat().map((room) => room.id);
  expect([...before, ...ids(last)]).toEqual(expected);
  expect(backwards.linkSets.at(-1)!.prev).toBeUndefined();
  // And forwards again from the first page reached going back.
  const again = await walk(client, backwards.linkSets.at(-1)!.next!, "next");
  expect([...ids(backwards.pages.at(-1)!), ...again.pages.flat().map((room) => room.id)]).toEqual(expected);
}

describe("GET /room/ with pinned rooms", () => {
  it("lists the pinned rooms first, then the others, each most recently active first", async () => {
    const alice = await newClient("alice");
    const [r0, r1, r2, r3, r4] = await rooms(alice, 5);
    expect(ids(await list(alice))).toEqual(ids([r4!, r3!, r2!, r1!, r0!]));

    const pinned = await patch(alice, r1!.id, { pinned: true });
    expect(pinned).toMatchObject({ id: r1!.id, pinned: true, archived: false });
    await patch(alice, r3!.id, { pinned: true }, false);
    let all = await list(alice);
    expect(ids(all)).toEqual(ids([r3!, r1!, r4!, r2!, r0!]));
    expect(all.map((room) => room.pinned)).toEqual([true, true, false, false, false]);

    // Activity reorders within each group, never across them.
    await touch(alice, r0!);
    await touch(alice, r1!);
    all = await list(alice);
    expect(ids(all)).toEqual(ids([r1!, r3!, r0!, r4!, r2!]));

    // Unpinned, a room goes back among the others at its own activity.
    const unpinned = await patch(alice, r1!.id, { pinned: false });
    expect(unpinned.pinned).toBe(false);
    expect(ids(await list(alice))).toEqual(ids([r3!, r1!, r0!, r4!, r2!]));
    // The detail view carries the flag too.
    const detail = await request("GET", `/room/${r3!.id}/`, { token: alice.token });
    expect(detail.json).toMatchObject({ pinned: true, archived: false });
  });

  it("pinning and archiving do not bump updated_at; renaming does", async () => {
    const alice = await newClient("alice");
    const [older, newer] = await rooms(alice, 2);
    const stamp = older!.updated_at;

    for (const change of [{ pinned: true }, { archived: true }, { archived: false }, { pinned: false }, { pinned: true, archived: true }]) {
      const room = await patch(alice, older!.id, change);
      expect(room.updated_at, JSON.stringify(change)).toBe(stamp);
    }
    await patch(alice, older!.id, { pinned: false, archived: false });
    const detail = await request("GET", `/room/${older!.id}/`, { token: alice.token });
    expect(detail.json.updated_at).toBe(stamp);
    // Still older than the room created after it.
    expect(ids(await list(alice))).toEqual([newer!.id, older!.id]);

    const renamed = await patch(alice, older!.id, { title: "renamed", pinned: true });
    expect(renamed.updated_at).not.toBe(stamp);
    expect(Date.parse(renamed.updated_at)).toBeGreaterThanOrEqual(Date.parse(stamp));
  });

  it("PATCH refuses values that are not booleans, naming the field, and changes nothing", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "flags");
    for (const field of ["pinned", "archived"]) {
      for (const value of ["yes", 2, null, [], {}, "", -1]) {
        const res = await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { [field]: value } });
        expect(res.status, `${field}=${JSON.stringify(value)}: ${res.text}`).toBe(400);
        expect(res.json).toEqual({ [field]: [expect.any(String)] });
      }
      // With a valid title beside it: the whole body is refused.
      const res = await request("PATCH", `/room/${room.id}/`, { token: alice.token, body: { title: "changed", [field]: "maybe" } });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json)).toEqual([field]);
    }
    const detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(detail.json).toMatchObject({ title: "flags", pinned: false, archived: false, updated_at: room.updated_at });
  });

  it("accepts DRF's boolean spellings", async () => {
    const alice = await newClient("alice");
    const room = await createRoom(alice, "spellings");
    expect((await patch(alice, room.id, { pinned: "true" })).pinned).toBe(true);
    expect((await patch(alice, room.id, { pinned: 0 })).pinned).toBe(false);
    expect((await patch(alice, room.id, { archived: "1" })).archived).toBe(true);
    expect((await patch(alice, room.id, { archived: false })).archived).toBe(false);
  });

  it("another user's room is a 404 whatever the body, and stays as it was", async () => {
    const alice = await newClient("alice");
    const mallory = await newClient("mallory");
    const room = await createRoom(alice, "alice's");
    for (const body of [{ pinned: true }, { archived: true }, { pinned: "not a boolean" }]) {
      for (const path of [`/room/${room.id}/`, `/room/${room.id}`]) {
        const res = await request("PATCH", path, { token: mallory.token, body });
        expect(res.status, res.text).toBe(404);
        expect(res.json).toEqual({ detail: "Not found." });
      }
    }
    expect(await list(mallory)).toEqual([]);
    expect(await list(mallory, "?archived=true")).toEqual([]);
    expect((await list(alice))[0]).toMatchObject({ id: room.id, pinned: false, archived: false });
  });
});

describe("GET /room/?limit= across the pinned rooms (keyset)", () => {
  it("walks forwards and back across the pinned/unpinned boundary with no gap or repeat", async () => {
    const alice = await newClient("alice");
    const created = await rooms(alice, 8);
    // Pinned rooms of every age: the oldest, one in the middle, the newest.
    for (const room of [created[0]!, created[4]!, created[7]!]) await patch(alice, room.id, { pinned: true });
    const expected = ids([created[7]!, created[4]!, created[0]!, created[6]!, created[5]!, created[3]!, created[2]!, created[1]!]);
    expect(ids(await list(alice))).toEqual(expected);

    // 1: every boundary; 2: the boundary inside a page; 3: exactly at a page's end; 4: inside again.
    for (const limit of [1, 2, 3, 4]) await expectPagingWalks(alice, "", expected, limit);
  });

  it("pages that are only pinned rooms, and lists with no pinned room at all", async () => {
    const alice = await newClient("alice");
    const created = await rooms(alice, 5);
    const allIds = ids([...created].reverse());
    await expectPagingWalks(alice, "", allIds, 2);
    for (const room of created) await patch(alice, room.id, { pinned: true });
    await expectPagingWalks(alice, "", allIds, 2);
  });

  it.runIf(Boolean(sql))("breaks ties on updated_at by id within each group, across pages", async () => {
    const alice = await newClient("alice");
    const created = await rooms(alice, 6);
    for (const room of [created[1]!, created[2]!, created[4]!]) await patch(alice, room.id, { pinned: true });
    await sql!`update chat_rooms set updated_at = '2024-05-05T05:05:05.123456Z' where user_id = ${alice.userId}`;
    const expected = ids([created[4]!, created[2]!, created[1]!, created[5]!, created[3]!, created[0]!]);
    expect(ids(await list(alice))).toEqual(expected);
    for (const limit of [1, 2, 4]) await expectPagingWalks(alice, "", expected, limit);
  });

  it("a cursor from a page of pinned rooms keeps working after the room it points at is unpinned", async () => {
    const alice = await newClient("alice");
    const created = await rooms(alice, 4);
    await patch(alice, created[0]!.id, { pinned: true });
    await patch(alice, created[1]!.id, { pinned: true });
    const first = await request("GET", "/room/?limit=1", { token: alice.token });
    expect(ids(first.json)).toEqual([created[1]!.id]);
    // The cursor is a position, not a room: what follows it is what is now after that position.
    await patch(alice, created[1]!.id, { pinned: false });
    const next = await request("GET", links(first.headers).next!, { token: alice.token });
    expect(next.status).toBe(200);
    expect(ids(next.json)).toEqual([created[0]!.id]);
  });
});

describe("GET /room/?archived=", () => {
  it("leaves archived rooms out by default and lists only them under ?archived=true", async () => {
    const alice = await newClient("alice");
    const [a, b, c, d] = await rooms(alice, 4);
    await patch(alice, b!.id, { archived: true });
    // Archived and pinned: still only in the archived list, where pinned ones come first too.
    await patch(alice, d!.id, { archived: true, pinned: true });

    expect(ids(await list(alice))).toEqual(ids([c!, a!]));
    expect(ids(await list(alice, "?archived=false"))).toEqual(ids([c!, a!]));
    const archived = await list(alice, "?archived=true");
    expect(ids(archived)).toEqual(ids([d!, b!]));
    expect(archived.every((room) => room.archived)).toBe(true);

    // An archived room is still the user's: it opens, and unarchiving puts it back at its activity.
    expect((await request("GET", `/room/${b!.id}/`, { token: alice.token })).status).toBe(200);
    await patch(alice, b!.id, { archived: false });
    expect(ids(await list(alice))).toEqual(ids([c!, b!, a!]));
    expect(ids(await list(alice, "?archived=true"))).toEqual([d!.id]);
  });

  it("combines with ?q= and with paging", async () => {
    const alice = await newClient("alice");
    const kept = [];
    const archived = [];
    for (let i = 0; i < 5; i++) {
      kept.push(await createRoom(alice, `Jeju trip ${i}`));
      archived.push(await createRoom(alice, `Jeju trip archived ${i}`));
      await createRoom(alice, `Seoul ${i}`);
    }
    for (const room of archived) await patch(alice, room.id, { archived: true });
    await patch(alice, archived[1]!.id, { pinned: true });

    expect(ids(await list(alice, "?q=jeju"))).toEqual(ids([...kept].reverse()));
    const expectedArchived = ids([archived[1]!, archived[4]!, archived[3]!, archived[2]!, archived[0]!]);
    expect(ids(await list(alice, "?q=jeju&archived=true"))).toEqual(expectedArchived);
    expect(await list(alice, "?q=seoul&archived=true")).toEqual([]);

    await expectPagingWalks(alice, "&archived=true", expectedArchived, 2);
    await expectPagingWalks(alice, "&archived=true&q=trip", expectedArchived, 3);
    // The links keep the filter.
    const page = await request("GET", "/room/?archived=true&limit=2", { token: alice.token });
    expect(new URL(links(page.headers).next!).searchParams.get("archived")).toBe("true");
  });

  it.each(["yes", "maybe", "[]"])("?archived=%s is a 400 naming the field", async (value) => {
    const alice = await newClient("alice");
    const res = await request("GET", `/room/?archived=${value}`, { token: alice.token });
    expect(res.status, res.text).toBe(400);
    expect(res.json).toEqual({ archived: [expect.any(String)] });
  });
});
