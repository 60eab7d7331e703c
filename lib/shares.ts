import "server-only";
import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chatLogs, chatRooms, roomShares, type RoomShare, type SharedRoomSnapshot } from "@/db/schema";
import { getRoomForUser } from "@/lib/rooms";

/**
 * Share links (docs/api.md#share-links, docs/security.md#share-links): a room's read-only
 * public page at `/s/<token>`, showing a snapshot of the room taken when it was shared.
 *
 * The owner's side (share, read, stop) is scoped by owner like every room query: another
 * user's room does not exist for the caller. The public side (`getSharedSnapshot`) is
 * deliberately not: the token is the only key, and it opens nothing but that snapshot.
 */

/** 128 random bits in base64url, no padding: 22 characters of `[A-Za-z0-9_-]`. */
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const newShareToken = () => crypto.randomBytes(16).toString("base64url");

/** The logs of a snapshot: role, text and time only (no ids, models, usage or feedback). */
const snapshotLogColumns = {
  role: chatLogs.role,
  message: chatLogs.message,
  // ISO 8601 in UTC with microseconds, as the API writes timestamps (docs/api.md#basics).
  timestamp: sql<string>`to_char(${chatLogs.timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/**
 * Shares the user's room: the existing link if it is shared already (`created: false`), else
 * a new token with a snapshot of the title and every log as of now (`created: true`).
 * `renew` replaces an existing link with a new one of the room as it is now (the old link
 * dies in the same transaction): the UI's "Update link".
 * Undefined when the room is not the user's. Two requests at once get the same link: the
 * room id is the table's key, and the loser of the insert reads the winner's row.
 */
export async function shareRoom(params: {
  roomId: number;
  userId: number;
  renew?: boolean;
}): Promise<{ share: RoomShare; created: boolean } | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const room = await getRoomForUser(params, tx);
    if (!room) return undefined;
    if (params.renew) await tx.delete(roomShares).where(eq(roomShares.roomId, room.id));
    const [existing] = params.renew ? [] : await tx.select().from(roomShares).where(eq(roomShares.roomId, room.id));
    if (existing) return { share: existing, created: false };

    const logs = await tx
      .select(snapshotLogColumns)
      .from(chatLogs)
      .where(eq(chatLogs.chatroomId, room.id))
      .orderBy(asc(chatLogs.timestamp), asc(chatLogs.id));
    const snapshot: SharedRoomSnapshot = { title: room.title, logs };
    const [inserted] = await tx
      .insert(roomShares)
      .values({ roomId: room.id, token: newShareToken(), snapshot })
      .onConflictDoNothing({ target: roomShares.roomId })
      .returning();
    if (inserted) return { share: inserted, created: true };
    const [winner] = await tx.select().from(roomShares).where(eq(roomShares.roomId, room.id));
    return { share: winner!, created: false };
  });
}

/**
 * The room's current share. `undefined` when the room is not the user's, `null` when it is
 * but is not shared.
 */
export async function getShareForRoom(params: { roomId: number; userId: number }): Promise<RoomShare | null | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ roomId: chatRooms.id, share: roomShares })
    .from(chatRooms)
    .leftJoin(roomShares, eq(roomShares.roomId, chatRooms.id))
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.userId, params.userId)))
    .limit(1);
  if (!row) return undefined;
  return row.share;
}

/**
 * Stops sharing the user's room: the link answers 404 from the next request on (nothing
 * caches the page). Returns whether a link existed; undefined when the room is not the user's.
 */
export async function unshareRoom(params: { roomId: number; userId: number }): Promise<boolean | undefined> {
  const db = await getDb();
  const deleted = await db
    .delete(roomShares)
    .where(
      and(
        eq(roomShares.roomId, params.roomId),
        sql`exists (select 1 from ${chatRooms} where ${chatRooms.id} = ${params.roomId} and ${chatRooms.userId} = ${params.userId})`,
      ),
    )
    .returning({ roomId: roomShares.roomId });
  if (deleted.length > 0) return true;
  return (await getRoomForUser(params, db)) ? false : undefined;
}

/**
 * The snapshot behind a link, for anyone who has it. A token that cannot be one of ours
 * (wrong length or characters) is refused before any query. Undefined when unknown or revoked.
 */
export async function getSharedSnapshot(token: string): Promise<{ snapshot: SharedRoomSnapshot; createdAt: string } | undefined> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({ snapshot: roomShares.snapshot, createdAt: roomShares.createdAt })
    .from(roomShares)
    .where(eq(roomShares.token, token))
    .limit(1);
  return row;
}
