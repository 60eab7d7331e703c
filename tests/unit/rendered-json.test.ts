import { describe, expect, it } from "vitest";
import { useEmbeddedDatabase } from "../support/embedded-db";

/**
 * lib/rooms/rendered.ts renders in SQL what lib/serializers.ts renders in JavaScript
 * (docs/api.md#rendered-reads). Here both render the same awkward rows, and the texts must be
 * byte for byte the same; then the tags: a match leaves the body out, any change makes a new one.
 */
useEmbeddedDatabase("rendered-json");

// Everything JSON escapes (quotes, backslashes, every kind of control character), and what it
// must leave alone (Korean, emoji, U+2028, DEL, a slash).
const AWKWARD = 'say "hi" \\ back\\slash / \n\r\t\b\f \u0001\u001f\u007f \u2028 제주도 🍊 </script>';

type Read = import("@/lib/rooms").RenderedRead;
/** The answer of a read that must have found its room. */
const answer = (read: Read) => {
  if (typeof read === "string") throw new Error(`expected an answer, got ${read}`);
  return read;
};

let runs = 0;
async function setUp() {
  const n = ++runs;
  const { getDb } = await import("@/db/client");
  const { chatLogs, users } = await import("@/db/schema");
  const rooms = await import("@/lib/rooms");
  const db = await getDb();
  const [owner, stranger] = await db.insert(users).values([{ email: `owner${n}@example.com` }, { email: `stranger${n}@example.com` }]).returning();
  const room = await rooms.createRoom({ userId: owner!.id, title: AWKWARD, model: "m-1", systemPrompt: `Be ${AWKWARD}` });
  const empty = await rooms.createRoom({ userId: owner!.id, title: "empty" });
  const archived = await rooms.createRoom({ userId: owner!.id, title: "old" });
  await rooms.updateRoom({ roomId: archived.id, userId: owner!.id, changes: { archived: true } });
  await rooms.updateRoom({ roomId: empty.id, userId: owner!.id, changes: { pinned: true } });
  await db.insert(chatLogs).values([
    // Fractions Postgres prints in full, trimmed, and not at all; two logs at one instant (ordered by id).
    { chatroomId: room.id, role: "user", message: AWKWARD, timestamp: "2026-01-02 03:04:05.123456+00" },
    { chatroomId: room.id, role: "bot", message: "", timestamp: "2026-01-02 03:04:05.1+00", stopped: true, model: "m-1", promptTokens: 12, completionTokens: 3 },
    { chatroomId: room.id, role: "bot", message: "half usage", timestamp: "2026-01-02 03:04:06+00", promptTokens: 5, feedback: "down", feedbackComment: AWKWARD },
    { chatroomId: room.id, role: "user", message: "same instant a", timestamp: "2026-01-02 03:04:07+00" },
    { chatroomId: room.id, role: "user", message: "same instant b", timestamp: "2026-01-02 03:04:07+00", feedback: "up" },
  ]);
  return { db, rooms, owner: owner!, stranger: stranger!, room, empty, archived };
}

describe("rendered reads", () => {
  it("render exactly what the serializers give for the same rows", async () => {
    const { logJson, roomJson } = await import("@/lib/serializers");
    const { rooms, owner, stranger, room, empty } = await setUp();
    const known: string[] = [];

    const stored = (await rooms.getRoomWithLogs({ roomId: room.id, userId: owner.id }))!;
    expect(stored.logs).toHaveLength(5);
    const detail = answer(await rooms.renderRoomWithLogs({ roomId: room.id, caller: { userId: owner.id }, known }));
    expect(detail.body).toBe(JSON.stringify({ ...roomJson(stored.room), chatlogs: stored.logs.map(logJson) }));
    const logs = answer(await rooms.renderLogsOfRoom({ roomId: room.id, caller: { userId: owner.id }, known }));
    expect(logs.body).toBe(JSON.stringify(stored.logs.map(logJson)));
    // The serializers' side of it, spelled out once: usage whole, half and absent; the order.
    expect(JSON.parse(logs.body!).map((log: { usage: unknown; timestamp: string; message: string }) => [log.timestamp, log.usage])).toEqual([
      ["2026-01-02T03:04:05.1Z", { prompt_tokens: 12, completion_tokens: 3 }],
      ["2026-01-02T03:04:05.123456Z", null],
      ["2026-01-02T03:04:06Z", { prompt_tokens: 5, completion_tokens: 0 }],
      ["2026-01-02T03:04:07Z", null],
      ["2026-01-02T03:04:07Z", null],
    ]);
    expect(JSON.parse(logs.body!)[1].message).toBe(AWKWARD);

    const emptyDetail = answer(await rooms.renderRoomWithLogs({ roomId: empty.id, caller: { userId: owner.id }, known }));
    expect(JSON.parse(emptyDetail.body!).chatlogs).toEqual([]);
    expect(answer(await rooms.renderLogsOfRoom({ roomId: empty.id, caller: { userId: owner.id }, known })).body).toBe("[]");

    for (const archived of [false, true]) {
      const listed = await rooms.listRoomsForUser({ userId: owner.id, archived });
      const rendered = answer(await rooms.renderRoomsOfUser({ caller: { userId: owner.id }, archived, known }));
      expect(rendered.body).toBe(JSON.stringify(listed.rooms.map(roomJson)));
    }
    // Pinned first: the order of the paged list.
    expect(JSON.parse(answer(await rooms.renderRoomsOfUser({ caller: { userId: owner.id }, archived: false, known })).body!).map((r: { id: number }) => r.id)).toEqual([
      empty.id,
      room.id,
    ]);

    // Someone else's room does not exist; someone with no rooms has an empty list.
    expect(await rooms.renderRoomWithLogs({ roomId: room.id, caller: { userId: stranger.id }, known })).toBe("not_found");
    expect(await rooms.renderLogsOfRoom({ roomId: room.id, caller: { userId: stranger.id }, known })).toBe("not_found");
    expect(answer(await rooms.renderRoomsOfUser({ caller: { userId: stranger.id }, archived: false, known })).body).toBe("[]");
  });

  it("leave the body out for a tag the caller holds (or *), and change the tag with any change", async () => {
    const { and, eq } = await import("drizzle-orm");
    const { chatLogs } = await import("@/db/schema");
    const { db, rooms, owner, room, empty } = await setUp();
    const read = {
      detail: (known: string[] = []) => rooms.renderRoomWithLogs({ roomId: room.id, caller: { userId: owner.id }, known }).then(answer),
      logs: (known: string[] = []) => rooms.renderLogsOfRoom({ roomId: room.id, caller: { userId: owner.id }, known }).then(answer),
      list: (known: string[] = []) => rooms.renderRoomsOfUser({ caller: { userId: owner.id }, archived: false, known }).then(answer),
    };
    const tags = async () => ({ detail: (await read.detail()).tag, logs: (await read.logs()).tag, list: (await read.list()).tag });

    const before = await tags();
    expect(new Set(Object.values(before)).size).toBe(3); // three resources, three tags
    for (const kind of ["detail", "logs", "list"] as const) {
      const tag = before[kind];
      expect(tag).toMatch(/^[0-9a-f]{32}$/);
      expect(await read[kind]([tag])).toEqual({ tag, body: null });
      expect(await read[kind](["nope", tag])).toEqual({ tag, body: null });
      expect(await read[kind](["*"])).toEqual({ tag, body: null });
      expect((await read[kind](["nope"])).body).not.toBeNull();
      expect(await read[kind]()).toMatchObject({ tag }); // the same rows, the same tag
    }

    // Feedback on a log: the room's answers change, its list entry does not.
    const [reply] = await db.select().from(chatLogs).where(and(eq(chatLogs.chatroomId, room.id), eq(chatLogs.role, "bot"))).orderBy(chatLogs.id).limit(1);
    expect(await rooms.setReplyFeedback({ roomId: room.id, userId: owner.id, logId: reply!.id, rating: "up", comment: null })).toMatchObject({ feedback: "up" });
    const afterFeedback = await tags();
    expect(afterFeedback.detail).not.toBe(before.detail);
    expect(afterFeedback.logs).not.toBe(before.logs);
    expect(afterFeedback.list).toBe(before.list);

    // A deleted log.
    await db.delete(chatLogs).where(eq(chatLogs.id, reply!.id));
    const afterDelete = await tags();
    expect(afterDelete.detail).not.toBe(afterFeedback.detail);
    expect(afterDelete.logs).not.toBe(afterFeedback.logs);

    // A renamed room: its detail and the list, not its logs.
    await rooms.updateRoom({ roomId: room.id, userId: owner.id, changes: { title: "renamed" } });
    const afterRename = await tags();
    expect(afterRename.detail).not.toBe(afterDelete.detail);
    expect(afterRename.list).not.toBe(afterDelete.list);
    expect(afterRename.logs).toBe(afterDelete.logs);

    // Another room pinned: the list.
    await rooms.updateRoom({ roomId: empty.id, userId: owner.id, changes: { pinned: false } });
    expect((await tags()).list).not.toBe(afterRename.list);
  });

  it("find a bearer token's owner in the same statement: the same answers, a 401 for no such token, its use recorded", async () => {
    const { eq } = await import("drizzle-orm");
    const { apiTokens } = await import("@/db/schema");
    const { apiTokenHash, createApiToken } = await import("@/lib/tokens");
    const { db, rooms, owner, stranger, room } = await setUp();
    const minted = await createApiToken(owner.id, "reader");
    const tokenHash = apiTokenHash(minted.token)!;
    const lastUsed = async () => (await db.select().from(apiTokens).where(eq(apiTokens.id, minted.id)))[0]!.lastUsedAt;
    expect(await lastUsed()).toBeNull();

    const known: string[] = [];
    const byUser = { userId: owner.id };
    const byToken = { tokenHash };
    expect(await rooms.renderRoomWithLogs({ roomId: room.id, caller: byToken, known })).toEqual(
      await rooms.renderRoomWithLogs({ roomId: room.id, caller: byUser, known }),
    );
    expect(await lastUsed()).not.toBeNull(); // the first use is recorded…
    expect(await rooms.renderLogsOfRoom({ roomId: room.id, caller: byToken, known })).toEqual(
      await rooms.renderLogsOfRoom({ roomId: room.id, caller: byUser, known }),
    );
    expect(await rooms.renderRoomsOfUser({ caller: byToken, archived: false, known })).toEqual(
      await rooms.renderRoomsOfUser({ caller: byUser, archived: false, known }),
    );

    // A token of someone else: their rooms only. No such token: unauthenticated, whatever the room.
    const theirs = await createApiToken(stranger.id, "theirs");
    expect(await rooms.renderRoomWithLogs({ roomId: room.id, caller: { tokenHash: apiTokenHash(theirs.token)! }, known })).toBe("not_found");
    const nobody = { tokenHash: apiTokenHash(`ainfo_${"x".repeat(43)}`)! };
    expect(await rooms.renderRoomWithLogs({ roomId: room.id, caller: nobody, known })).toBe("unauthenticated");
    expect(await rooms.renderLogsOfRoom({ roomId: 999_999, caller: nobody, known })).toBe("unauthenticated");
    expect(await rooms.renderRoomsOfUser({ caller: nobody, archived: false, known })).toBe("unauthenticated");

    // Revoked: gone at once.
    await db.delete(apiTokens).where(eq(apiTokens.id, minted.id));
    expect(await rooms.renderRoomsOfUser({ caller: byToken, archived: false, known })).toBe("unauthenticated");
  });

  it("render every keyset page as the paged list gives it, with the same neighbours, forwards and back", async () => {
    const { roomJson } = await import("@/lib/serializers");
    const { rooms, owner } = await setUp();
    // More rooms, some pinned, several with one updated_at (ties broken by id).
    for (let i = 0; i < 9; i++) {
      const made = await rooms.createRoom({ userId: owner.id, title: `r${i}` });
      if (i % 4 === 0) await rooms.updateRoom({ roomId: made.id, userId: owner.id, changes: { pinned: true } });
    }
    const { getDb } = await import("@/db/client");
    const { sql } = await import("drizzle-orm");
    await (await getDb()).execute(sql`update chat_rooms set updated_at = '2026-01-01 00:00:00.5+00' where title in ('r1', 'r2', 'r3')`);

    const caller = { userId: owner.id };
    for (const archived of [false, true]) {
      for (const limit of [1, 2, 3, 50]) {
        // Forwards to the end, then back to the start, comparing every page.
        let cursor: import("@/lib/rooms").RoomCursor | undefined;
        const seen: number[] = [];
        for (let step = 0; step < 40; step++) {
          const expected = await rooms.listRoomsForUser({ userId: owner.id, archived, limit, cursor });
          const rendered = await rooms.renderRoomsPage({ caller, archived, limit, cursor, known: [] });
          if (rendered === "unauthenticated") throw new Error("unauthenticated");
          expect(rendered.body, `limit ${limit} step ${step}`).toBe(JSON.stringify(expected.rooms.map(roomJson)));
          expect(rendered.next, `next, limit ${limit} step ${step}`).toEqual(expected.next);
          expect(rendered.prev, `prev, limit ${limit} step ${step}`).toEqual(expected.prev);
          // The page's tag: a match leaves the body out.
          expect(await rooms.renderRoomsPage({ caller, archived, limit, cursor, known: [rendered.tag] })).toMatchObject({ body: null, tag: rendered.tag });
          seen.push(step);
          const forwards = step < 20;
          cursor = forwards ? (expected.next ?? expected.prev) : expected.prev;
          if (!cursor) break;
          if (forwards && !expected.next) step = 19; // at the end: turn back
        }
        expect(seen.length).toBeGreaterThan(0);
      }
    }
  });
});
