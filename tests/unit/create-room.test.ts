import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useEmbeddedDatabase } from "../support/embedded-db";

/**
 * docs/security.md, in-process on the embedded defaults (PGlite + the in-process history store, i.e.
 * `npm run dev` with no configuration): `createRoom` clears whatever history its id already
 * has. The HTTP tests in tests/api/new-room-history.test.ts attack the same over Redis.
 */
useEmbeddedDatabase("create-room");

describe("createRoom", () => {
  it("a room whose id was used before starts with an empty history", async () => {
    const { getDb } = await import("@/db/client");
    const { users } = await import("@/db/schema");
    const { getHistoryStore } = await import("@/lib/history");
    const { createRoom, deleteRoom } = await import("@/lib/rooms");
    const db = await getDb();
    const [owner] = await db.insert(users).values({ email: "owner@example.com" }).returning();
    const store = getHistoryStore();

    const old = await createRoom({ userId: owner!.id, title: "old" });
    await store.append(old.id, [
      { role: "human", content: "Remember my PIN: 4721" },
      { role: "ai", content: "Your PIN is 4721." },
    ]);
    // A reset of the database under a live history: the row goes, the id is handed out again.
    await db.execute(sql`delete from chat_rooms where id = ${old.id}`);
    await db.execute(sql.raw(`alter table chat_rooms alter column id restart with ${Number(old.id)}`));
    expect(await store.readLast(old.id, 10)).toHaveLength(2);

    const fresh = await createRoom({ userId: owner!.id, title: "new" });
    expect(fresh.id).toBe(old.id);
    expect(fresh.title).toBe("new");
    expect(fresh.userId).toBe(owner!.id);
    expect(fresh.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(await store.readLast(fresh.id, 10)).toEqual([]);
    // The purge was carried out: nothing left in the outbox.
    const pending = await db.execute(sql`select room_id from history_purges`);
    expect((pending as unknown as { rows?: unknown[] }).rows ?? pending).toHaveLength(0);
    expect(await deleteRoom({ roomId: fresh.id, userId: owner!.id })).toBe(true);
  }, 60_000);
});
