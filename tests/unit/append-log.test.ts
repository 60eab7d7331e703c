import { describe, expect, it } from "vitest";
import { useEmbeddedDatabase } from "../support/embedded-db";

/**
 * docs/chat-turn.md: `appendLog` writes a log and bumps its room's activity in one statement,
 * scoped to the owner for the user's own message; here on the embedded database (PGlite).
 */
useEmbeddedDatabase("append-log");

describe("appendLog", () => {
  it("returns the stored log and the bumped room, typed as the tables are; refuses another user's room", async () => {
    const { getDb } = await import("@/db/client");
    const { chatLogs, users } = await import("@/db/schema");
    const { createRoom, getRoomWithLogs } = await import("@/lib/rooms");
    const { appendLog } = await import("@/lib/chat/turn-queries");
    const db = await getDb();
    const [owner, stranger] = await db
      .insert(users)
      .values([{ email: "owner@example.com" }, { email: "stranger@example.com" }])
      .returning();
    const room = await createRoom({ userId: owner!.id, title: "append" });

    const asked = await appendLog({ roomId: room.id, userId: owner!.id, role: "user", message: "제주도 날씨는?" });
    expect(asked?.room).toMatchObject({ id: room.id, userId: owner!.id, title: "append", pinned: false });
    expect(asked?.log).toMatchObject({ chatroomId: room.id, role: "user", message: "제주도 날씨는?", stopped: false, model: null });
    expect(typeof asked!.log.id).toBe("number");
    expect(asked!.room.updatedAt >= room.updatedAt).toBe(true);

    const answered = await appendLog({
      roomId: room.id,
      role: "bot",
      message: "맑아요.",
      stopped: true,
      model: "gpt-4o-mini",
      promptTokens: 12,
      completionTokens: 3,
    });
    expect(answered?.log).toMatchObject({ role: "bot", stopped: true, model: "gpt-4o-mini", promptTokens: 12, completionTokens: 3 });
    expect(answered!.log.id).toBeGreaterThan(asked!.log.id);

    // What it returned is what is stored.
    const stored = await getRoomWithLogs({ roomId: room.id, userId: owner!.id });
    expect(stored?.logs.map(({ version: _version, ...log }) => log)).toEqual([asked!.log, answered!.log]);

    // Someone else's room: nothing written.
    expect(await appendLog({ roomId: room.id, userId: stranger!.id, role: "user", message: "hi" })).toBeUndefined();
    expect(await appendLog({ roomId: 999_999, role: "bot", message: "gone" })).toBeUndefined();
    expect(await db.$count(chatLogs)).toBe(2);
  });
});
