import "server-only";
import { and, asc, desc, eq, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { DEFAULT_ROOM_TITLE, chatLogs, chatRooms, historyPurges, type ChatLog, type ChatRoom } from "@/db/schema";
import { purgeHistory, recordHistoryPurge } from "@/lib/history/purge";

/**
 * Rooms and their logs. Every query is scoped by owner (`id = $1 AND user_id = $2`):
 * someone else's room simply does not exist for the caller (docs/api.md, §10).
 */

// --- rooms ---

export type RoomCursor = { updatedAt: string; id: number; direction: "next" | "prev" };

export function encodeRoomCursor(cursor: RoomCursor) {
  return Buffer.from(JSON.stringify([cursor.direction === "next" ? "n" : "p", cursor.updatedAt, cursor.id])).toString(
    "base64url",
  );
}

export function decodeRoomCursor(raw: string): RoomCursor | undefined {
  try {
    const [d, updatedAt, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    if ((d !== "n" && d !== "p") || typeof updatedAt !== "string" || !Number.isSafeInteger(id) || (id as number) < 1)
      return undefined;
    if (!isPgUtcTimestamp(updatedAt)) return undefined;
    return { direction: d === "n" ? "next" : "prev", updatedAt, id: id as number };
  } catch {
    return undefined;
  }
}

/**
 * Only the text form Postgres gives a UTC timestamptz ("2026-11-24 09:30:12.123456+00"), with
 * a real calendar date: a forged cursor that JavaScript would parse but Postgres would not
 * ("1", "0000-01-01", Feb 31) must be a 400, not a failed cast.
 */
function isPgUtcTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,6})?(\+00(:00)?|Z)$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The order of `chat_rooms_user_updated_idx`: (user_id, updated_at DESC NULLS LAST, id DESC
 * NULLS LAST). A plain `desc` means NULLS FIRST in Postgres, which that index cannot give,
 * so the planner read every room of the user and sorted them, even for `?limit=50`
 * (bench/: EXPLAIN showed a Sort over all 1,000 rooms). Both columns are NOT NULL: the NULLS
 * clause changes no result, it only lets the index scan serve the order and LIMIT stop early.
 */
const newestFirst = [sql`${chatRooms.updatedAt} desc nulls last`, sql`${chatRooms.id} desc nulls last`];
/** The same index read backwards (the `prev` pages of the keyset). */
const oldestFirst = [sql`${chatRooms.updatedAt} asc nulls first`, sql`${chatRooms.id} asc nulls first`];

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

/**
 * The user's rooms, most recently active first. Without `limit`, all of them (as the
 * original API did); with it, one keyset page and the cursors of its neighbours.
 */
export async function listRoomsForUser(params: { userId: number; q?: string; limit?: number; cursor?: RoomCursor }) {
  const db = await getDb();
  const filters: SQL[] = [eq(chatRooms.userId, params.userId)];
  if (params.q?.trim()) filters.push(matchesSearch(params.q.trim()));

  if (params.limit === undefined) {
    const rooms = await db
      .select()
      .from(chatRooms)
      .where(and(...filters))
      .orderBy(...newestFirst);
    return { rooms, next: undefined, prev: undefined };
  }

  const { cursor, limit } = params;
  const backwards = cursor?.direction === "prev";
  if (cursor) {
    const position = sql`(${chatRooms.updatedAt}, ${chatRooms.id})`;
    const at = sql`(${cursor.updatedAt}::timestamptz, ${cursor.id}::bigint)`;
    filters.push(backwards ? sql`${position} > ${at}` : sql`${position} < ${at}`);
  }
  const rows = await db
    .select()
    .from(chatRooms)
    .where(and(...filters))
    .orderBy(...(backwards ? oldestFirst : newestFirst))
    .limit(limit + 1);
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page.at(-1);
  const toCursor = (room: ChatRoom, direction: RoomCursor["direction"]) => ({
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
export async function createRoom(params: { userId: number; title?: string }) {
  const db = await getDb();
  const inserted = db
    .$with("inserted")
    .as(db.insert(chatRooms).values({ userId: params.userId, ...(params.title ? { title: params.title } : {}) }).returning());
  const purge = db
    .$with("purge", {})
    .as(sql`insert into ${historyPurges} (room_id) select id from ${inserted} on conflict do nothing`);
  const [room] = await db.with(inserted, purge).select().from(inserted);
  await purgeHistory([room!.id]);
  return room!;
}

export async function getRoomForUser(params: { roomId: number; userId: number }, db?: Db) {
  db ??= await getDb();
  const [room] = await db
    .select()
    .from(chatRooms)
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.userId, params.userId)))
    .limit(1);
  return room;
}

/** The room with every log, in one round trip. */
export async function getRoomWithLogs(params: { roomId: number; userId: number }) {
  const db = await getDb();
  const rows = await db
    .select({ room: chatRooms, log: chatLogs })
    .from(chatRooms)
    .leftJoin(chatLogs, eq(chatLogs.chatroomId, chatRooms.id))
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.userId, params.userId)))
    .orderBy(asc(chatLogs.timestamp), asc(chatLogs.id));
  const room = rows[0]?.room;
  if (!room) return undefined;
  return { room, logs: rows.flatMap((row) => (row.log ? [row.log] : [])) };
}

/** Renames and bumps `updated_at` (the sidebar orders by activity). */
export async function renameRoom(params: { roomId: number; userId: number; title: string }) {
  const db = await getDb();
  const [room] = await db
    .update(chatRooms)
    .set({ title: params.title, updatedAt: sql`now()` })
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.userId, params.userId)))
    .returning();
  return room;
}

/**
 * Deletes the room and its logs (cascade), recording the history purge in the same
 * transaction, then purges at once. A Redis outage delays the purge; it never fails the delete.
 */
export async function deleteRoom(params: { roomId: number; userId: number }) {
  const db = await getDb();
  const deleted = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(chatRooms)
      .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.userId, params.userId)))
      .returning({ id: chatRooms.id });
    await recordHistoryPurge(tx, rows.map((r) => r.id));
    return rows.length > 0;
  });
  if (deleted) await purgeHistory([params.roomId]);
  return deleted;
}

// --- logs ---

export type LogPage = { logs: ChatLog[]; hasOlder: boolean; hasNewer: boolean };

/**
 * The room's logs, ascending by (timestamp, id). Without `limit`, all of them. With it:
 * `before` → the `limit` logs just older than that log; `after` → the ones just newer;
 * neither → the newest `limit` (what a chat view opens with). Returns undefined when the
 * room is not the user's; throws `unknown_anchor` for a before/after id not in the room.
 */
export async function listLogsForRoom(params: {
  roomId: number;
  userId: number;
  limit?: number;
  before?: number;
  after?: number;
}): Promise<LogPage | undefined | "unknown_anchor"> {
  const db = await getDb();
  const room = await getRoomForUser(params, db);
  if (!room) return undefined;
  const inRoom = eq(chatLogs.chatroomId, room.id);

  if (params.limit === undefined && params.before === undefined && params.after === undefined) {
    const logs = await db.select().from(chatLogs).where(inRoom).orderBy(asc(chatLogs.timestamp), asc(chatLogs.id));
    return { logs, hasOlder: false, hasNewer: false };
  }

  const limit = params.limit ?? 50;
  const anchorId = params.before ?? params.after;
  const position = sql`(${chatLogs.timestamp}, ${chatLogs.id})`;
  let anchorFilter: SQL | undefined;
  if (anchorId !== undefined) {
    const anchor = sql`(select ${chatLogs.timestamp}, ${chatLogs.id} from ${chatLogs} where ${chatLogs.id} = ${anchorId} and ${chatLogs.chatroomId} = ${room.id})`;
    const [exists] = await db
      .select({ id: chatLogs.id })
      .from(chatLogs)
      .where(and(eq(chatLogs.id, anchorId), inRoom));
    if (!exists) return "unknown_anchor";
    anchorFilter = params.after !== undefined ? sql`${position} > ${anchor}` : sql`${position} < ${anchor}`;
  }

  const forwards = params.after !== undefined;
  const rows = await db
    .select()
    .from(chatLogs)
    .where(and(inRoom, anchorFilter))
    .orderBy(...(forwards ? [asc(chatLogs.timestamp), asc(chatLogs.id)] : [desc(chatLogs.timestamp), desc(chatLogs.id)]))
    .limit(limit + 1);
  const hasMore = rows.length > limit;
  const logs = rows.slice(0, limit);
  if (!forwards) logs.reverse();
  return forwards
    ? { logs, hasNewer: hasMore, hasOlder: true }
    : { logs, hasOlder: hasMore, hasNewer: params.before !== undefined };
}

// --- the bot's turn (docs/chat-turn.md) ---

/**
 * Appends a log and bumps the room's `updated_at`, atomically. `userId` scopes the write to
 * the owner (the user's own message); the bot's reply passes none. Returns undefined when
 * the room is gone (deleted meanwhile) or not the user's.
 */
export async function appendLog(params: {
  roomId: number;
  userId?: number;
  role: ChatLog["role"];
  message: string;
  stopped?: boolean;
}): Promise<{ log: ChatLog; room: ChatRoom } | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [room] = await tx
      .update(chatRooms)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(chatRooms.id, params.roomId), params.userId === undefined ? undefined : eq(chatRooms.userId, params.userId)))
      .returning();
    if (!room) return undefined;
    const [log] = await tx
      .insert(chatLogs)
      .values({ chatroomId: room.id, role: params.role, message: params.message, stopped: params.stopped ?? false })
      .returning();
    return { log: log!, room };
  });
}

/**
 * The model's context rebuilt from Postgres when the history store has lost it (docs/chat-turn.md#context):
 * the room's last `limit` logs before the message being answered, ascending. Replies that
 * finished meanwhile count (an earlier turn answered while this one waited); user messages
 * sent after this one do not (they are still waiting for their own turn).
 */
export async function contextLogs(params: { roomId: number; excludeLogId: number; limit: number }) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(chatLogs)
    .where(
      and(
        eq(chatLogs.chatroomId, params.roomId),
        ne(chatLogs.id, params.excludeLogId),
        or(eq(chatLogs.role, "bot"), lt(chatLogs.id, params.excludeLogId)),
      ),
    )
    .orderBy(desc(chatLogs.timestamp), desc(chatLogs.id))
    .limit(params.limit);
  return rows.reverse();
}

/** How many replies the bot has given in the room (auto-titling happens after the first). */
export async function countBotLogs(roomId: number) {
  const db = await getDb();
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(chatLogs)
    .where(and(eq(chatLogs.chatroomId, roomId), eq(chatLogs.role, "bot")));
  return row?.count ?? 0;
}

/** Sets the title only while it is still the default: never overwrites a rename. */
export async function setTitleIfDefault(params: { roomId: number; title: string }) {
  const db = await getDb();
  const [room] = await db
    .update(chatRooms)
    .set({ title: params.title })
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.title, DEFAULT_ROOM_TITLE)))
    .returning();
  return room;
}

export async function roomExists(roomId: number) {
  const db = await getDb();
  const [row] = await db.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.id, roomId)).limit(1);
  return row !== undefined;
}

/**
 * For "Regenerate": deletes the room's last log if it is the bot's, and returns the last
 * user log to answer again. Undefined when the room is not the user's.
 */
export async function removeLastReply(params: { roomId: number; userId: number }) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const room = await getRoomForUser(params, tx);
    if (!room) return undefined;
    const [last] = await tx
      .select()
      .from(chatLogs)
      .where(eq(chatLogs.chatroomId, room.id))
      .orderBy(desc(chatLogs.timestamp), desc(chatLogs.id))
      .limit(1);
    if (last?.role === "bot") await tx.delete(chatLogs).where(eq(chatLogs.id, last.id));
    const [userLog] = await tx
      .select()
      .from(chatLogs)
      .where(and(eq(chatLogs.chatroomId, room.id), eq(chatLogs.role, "user")))
      .orderBy(desc(chatLogs.timestamp), desc(chatLogs.id))
      .limit(1);
    return { room, userLog };
  });
}

/**
 * The room's last user log: undefined when the room is not the user's, null when it has
 * none (nothing for "Regenerate" to answer).
 */
export async function lastUserLogOfRoom(params: { roomId: number; userId: number }) {
  const db = await getDb();
  const room = await getRoomForUser(params, db);
  if (!room) return undefined;
  const [log] = await db
    .select()
    .from(chatLogs)
    .where(and(eq(chatLogs.chatroomId, room.id), eq(chatLogs.role, "user")))
    .orderBy(desc(chatLogs.timestamp), desc(chatLogs.id))
    .limit(1);
  return log ?? null;
}
