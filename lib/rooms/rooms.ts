import "server-only";
import { and, asc, eq, getTableColumns, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedFor } from "@/db/prepared";
import { chatLogs, chatRooms, historyPurges, type ChatRoom } from "@/db/schema";
import { purgeHistory, recordHistoryPurge } from "@/lib/history/purge";
import type { RoomCursor } from "./cursor";
import { rowVersion } from "./version";

/** A room and its row version (docs/api.md#conditional-requests: the ETag is made of them). */
const versionedRoom = { ...getTableColumns(chatRooms), version: rowVersion(chatRooms) };

/**
 * A user's rooms. Every query is scoped by owner (`id = $1 AND user_id = $2`): someone
 * else's room simply does not exist for the caller (docs/api.md, docs/security.md).
 */

/**
 * The order of `chat_rooms_user_list_idx`: (user_id, archived, pinned DESC NULLS LAST,
 * updated_at DESC NULLS LAST, id DESC NULLS LAST): pinned rooms first, then the most recently
 * active. A plain `desc` means NULLS FIRST in Postgres, which that index cannot give, so the
 * planner read every room of the user and sorted them, even for `?limit=50` (bench/: EXPLAIN
 * showed a Sort over all 1,000 rooms). The columns are NOT NULL: the NULLS clause changes no
 * result, it only lets the index scan serve the order and LIMIT stop early.
 */
export const listOrder = [
  sql`${chatRooms.pinned} desc nulls last`,
  sql`${chatRooms.updatedAt} desc nulls last`,
  sql`${chatRooms.id} desc nulls last`,
];
/** The same index read backwards (the `prev` pages of the keyset). */
export const listOrderReversed = [
  sql`${chatRooms.pinned} asc nulls first`,
  sql`${chatRooms.updatedAt} asc nulls first`,
  sql`${chatRooms.id} asc nulls first`,
];

/** `%`, `_` and `\` are literal in a search, not LIKE wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Title or any message contains `q`, case-insensitively, Korean substrings included. Three
 * characters or more use the trigram index; two characters (`제주`) have no trigram, so the
 * logs are first narrowed by the bigram index (migration 0002: `chat_bigrams(message)` holds
 * every lower-cased two-character substring) and ILIKE checks what it found.
 */
function matchesSearch(q: string): SQL {
  const pattern = likePattern(q);
  const bigram = [...q].length === 2 ? sql` and chat_bigrams(${chatLogs.message}) @> array[lower(${q})]` : sql``;
  return or(
    sql`${chatRooms.title} ilike ${pattern}`,
    sql`exists (select 1 from ${chatLogs} where ${chatLogs.chatroomId} = ${chatRooms.id}${bigram} and ${chatLogs.message} ilike ${pattern})`,
  )!;
}

/** Every room of a user, unsearched: what `GET /room/` without parameters reads (prepared). */
const allRooms = preparedFor((db) =>
  db
    .select(versionedRoom)
    .from(chatRooms)
    .where(and(eq(chatRooms.userId, sql.placeholder("userId")), eq(chatRooms.archived, sql.placeholder("archived"))))
    .orderBy(...listOrder)
    .prepare("all_rooms"),
);

/**
 * The user's rooms, pinned first, then the most recently active; archived rooms only when
 * `archived` is true (and then only they). Without `limit`, all of them (as the original
 * API did); with it, one keyset page and the cursors of its neighbours.
 */
export async function listRoomsForUser(params: {
  userId: number;
  archived?: boolean;
  q?: string;
  limit?: number;
  cursor?: RoomCursor;
}, db?: Db) {
  db ??= await getDb();
  const filters: SQL[] = [eq(chatRooms.userId, params.userId), eq(chatRooms.archived, params.archived ?? false)];
  if (params.q?.trim()) filters.push(matchesSearch(params.q.trim()));

  if (params.limit === undefined) {
    const rooms =
      filters.length === 2
        ? await allRooms(db).execute({ userId: params.userId, archived: params.archived ?? false })
        : await db
            .select(versionedRoom)
            .from(chatRooms)
            .where(and(...filters))
            .orderBy(...listOrder);
    return { rooms, next: undefined, prev: undefined };
  }

  const { cursor, limit } = params;
  const backwards = cursor?.direction === "prev";
  if (cursor) {
    // Every column of the order is descending, so one row comparison walks it.
    const position = sql`(${chatRooms.pinned}, ${chatRooms.updatedAt}, ${chatRooms.id})`;
    const at = sql`(${cursor.pinned}::boolean, ${cursor.updatedAt}::timestamptz, ${cursor.id}::bigint)`;
    filters.push(backwards ? sql`${position} > ${at}` : sql`${position} < ${at}`);
  }
  const rows = await db
    .select(versionedRoom)
    .from(chatRooms)
    .where(and(...filters))
    .orderBy(...(backwards ? listOrderReversed : listOrder))
    .limit(limit + 1);
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page.at(-1);
  const toCursor = (room: ChatRoom, direction: RoomCursor["direction"]) => ({
    pinned: room.pinned,
    updatedAt: room.updatedAt,
    id: room.id,
    direction,
  });
  // Older rooms follow when this page is full going forwards, or when we came back from them.
  const next = last && (backwards || hasMore) ? toCursor(last, "next") : undefined;
  const prev = first && (backwards ? hasMore : cursor !== undefined) ? toCursor(first, "prev") : undefined;
  return { rooms: page, next, prev };
}

/**
 * Creates a room that starts with no history (docs/security.md). Room ids repeat after a database
 * restore or reset while Redis keeps `message_store:<id>`: the new room must not inherit
 * another conversation. The insert records the history purge in the same statement (a
 * data-modifying CTE: atomic, one round trip); the purge is carried out right after, and
 * retried by the purge worker while Redis is down. Cost: one more SQL statement (the
 * outbox row's delete) and one Redis DEL per room created; nothing on the message path.
 */
export async function createRoom(params: { userId: number; title?: string; model?: string | null; systemPrompt?: string | null }, db?: Db) {
  db ??= await getDb();
  const values = {
    userId: params.userId,
    ...(params.title ? { title: params.title } : {}),
    model: params.model ?? null,
    systemPrompt: params.systemPrompt ?? null,
  };
  const inserted = db.$with("inserted").as(db.insert(chatRooms).values(values).returning());
  const purge = db
    .$with("purge", {})
    .as(sql`insert into ${historyPurges} (room_id) select id from ${inserted} on conflict do nothing`);
  const [room] = await db.with(inserted, purge).select().from(inserted);
  await purgeHistory([room!.id]);
  return room!;
}

const roomOfUser = preparedFor((db) =>
  db
    .select()
    .from(chatRooms)
    .where(and(eq(chatRooms.id, sql.placeholder("roomId")), eq(chatRooms.userId, sql.placeholder("userId"))))
    .limit(1)
    .prepare("room_of_user"),
);

/** The room, if it is the user's (a prepared query: most requests begin with it). */
export async function getRoomForUser(params: { roomId: number; userId: number }, db?: Db) {
  db ??= await getDb();
  const [room] = await roomOfUser(db).execute({ roomId: params.roomId, userId: params.userId });
  return room;
}

const roomWithLogs = preparedFor((db) =>
  db
    .select({ room: versionedRoom, log: { ...getTableColumns(chatLogs), version: rowVersion(chatLogs) } })
    .from(chatRooms)
    .leftJoin(chatLogs, eq(chatLogs.chatroomId, chatRooms.id))
    .where(and(eq(chatRooms.id, sql.placeholder("roomId")), eq(chatRooms.userId, sql.placeholder("userId"))))
    .orderBy(asc(chatLogs.timestamp), asc(chatLogs.id))
    .prepare("room_with_logs"),
);

/** The room with every log, in one round trip (a prepared query: db/prepared.ts). */
export async function getRoomWithLogs(params: { roomId: number; userId: number }, db?: Db) {
  db ??= await getDb();
  const rows = await roomWithLogs(db).execute({ roomId: params.roomId, userId: params.userId });
  const room = rows[0]?.room;
  if (!room) return undefined;
  return { room, logs: rows.flatMap((row) => (row.log ? [row.log] : [])) };
}

export type RoomChanges = Partial<Pick<ChatRoom, "title" | "model" | "systemPrompt" | "pinned" | "archived">>;

/**
 * Changes a room's title and settings. A rename bumps `updated_at` (the sidebar orders by
 * activity); pinning, archiving, the model and the system prompt do not.
 */
export async function updateRoom(params: { roomId: number; userId: number; changes: RoomChanges }, db?: Db) {
  db ??= await getDb();
  const { changes } = params;
  const [room] = await db
    .update(chatRooms)
    .set({ ...changes, ...(changes.title !== undefined ? { updatedAt: sql`now()` } : {}) })
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.userId, params.userId)))
    .returning();
  return room;
}

/**
 * Deletes the room and its logs (cascade), recording the history purge in the same
 * transaction, then purges at once. A Redis outage delays the purge; it never fails the delete.
 */
export async function deleteRoom(params: { roomId: number; userId: number }) {
  const deleted = await deleteRoomsForUser({ userId: params.userId, roomIds: [params.roomId] });
  return deleted.length > 0;
}

/**
 * Deletes those of `roomIds` that are the user's, with their logs, in one transaction that
 * also records their history purges (docs/history.md); the purge is carried out after the
 * commit. Ids that are someone else's or do not exist are ignored as if absent
 * (docs/api.md#bulk-delete). Returns the ids deleted, in the order given, each once.
 */
export async function deleteRoomsForUser(params: { userId: number; roomIds: number[] }): Promise<number[]> {
  const wanted = [...new Set(params.roomIds)];
  if (wanted.length === 0) return [];
  const db = await getDb();
  const deleted = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(chatRooms)
      .where(and(eq(chatRooms.userId, params.userId), inArray(chatRooms.id, wanted)))
      .returning({ id: chatRooms.id });
    const ids = new Set(rows.map((row) => row.id));
    await recordHistoryPurge(tx, [...ids]);
    return wanted.filter((id) => ids.has(id));
  });
  if (deleted.length > 0) await purgeHistory(deleted);
  return deleted;
}
