import "server-only";
import { and, asc, desc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedFor } from "@/db/prepared";
import { chatLogs, chatRooms, type ChatLog, type FeedbackRating } from "@/db/schema";
import { purgeHistory, recordHistoryPurge } from "@/lib/history/purge";
import { getRoomForUser } from "./rooms";
import { rowVersion } from "./version";

/**
 * The logs of a user's room, read and changed by their owner (docs/api.md): every query is
 * scoped by the room's owner, so someone else's log does not exist for the caller.
 */

/** A log and its row version (docs/api.md#conditional-requests: the ETag is made of them). */
const versionedLog = { ...getTableColumns(chatLogs), version: rowVersion(chatLogs) };
export type VersionedLog = ChatLog & { version: string };

/** Every log of a room, ascending: what `GET /room/{id}/logs/` without parameters reads (prepared: db/prepared.ts). */
const allLogs = preparedFor((db) =>
  db
    .select(versionedLog)
    .from(chatLogs)
    .where(eq(chatLogs.chatroomId, sql.placeholder("roomId")))
    .orderBy(asc(chatLogs.timestamp), asc(chatLogs.id))
    .prepare("all_logs"),
);

export type LogPage = { logs: VersionedLog[]; hasOlder: boolean; hasNewer: boolean };

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
}, db?: Db): Promise<LogPage | undefined | "unknown_anchor"> {
  db ??= await getDb();
  const room = await getRoomForUser(params, db);
  if (!room) return undefined;
  const inRoom = eq(chatLogs.chatroomId, room.id);

  if (params.limit === undefined && params.before === undefined && params.after === undefined) {
    const logs = await allLogs(db).execute({ roomId: room.id });
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
    .select(versionedLog)
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

/**
 * For "Regenerate": deletes the room's last log if it is the bot's, and returns the last
 * user log to answer again. Undefined when the room is not the user's.
 */
export async function removeLastReply(params: { roomId: number; userId: number }, db?: Db) {
  db ??= await getDb();
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
    const userLog = await lastUserLog(tx, room.id);
    return { room, userLog };
  });
}

/**
 * The room's last user log: undefined when the room is not the user's, null when it has
 * none (nothing for "Regenerate" to answer).
 */
export async function lastUserLogOfRoom(params: { roomId: number; userId: number }, db?: Db) {
  db ??= await getDb();
  const room = await getRoomForUser(params, db);
  if (!room) return undefined;
  return (await lastUserLog(db, room.id)) ?? null;
}

/**
 * One log of a user's room: undefined when the room is not the user's, null when the room
 * has no log with this id (a log id of another room included).
 */
export async function findLogInRoom(params: { roomId: number; userId: number; logId: number }, db?: Db) {
  db ??= await getDb();
  const room = await getRoomForUser(params, db);
  if (!room) return undefined;
  const [log] = await db
    .select()
    .from(chatLogs)
    .where(and(eq(chatLogs.id, params.logId), eq(chatLogs.chatroomId, room.id)))
    .limit(1);
  return { room, log: log ?? null };
}

/**
 * "Edit and answer again" (docs/chat-turn.md#edit), in one transaction: the user's log gets
 * the new text (its id and timestamp stay, so it keeps its place in the room), every later
 * log of the room ((timestamp, id) after it) is deleted, the room's `updated_at` is bumped,
 * and a purge of the room's history is recorded; the purge is carried out after the commit,
 * so the next context is rebuilt from Postgres, which no longer holds the removed turns.
 * Undefined when the room is not the user's or the log not in it; "not_user_log" for a reply.
 */
export async function editUserLog(params: { roomId: number; userId: number; logId: number; message: string }, db?: Db) {
  db ??= await getDb();
  const edited = await db.transaction(async (tx) => {
    const room = await getRoomForUser(params, tx);
    if (!room) return undefined;
    const [log] = await tx
      .select({ id: chatLogs.id, role: chatLogs.role })
      .from(chatLogs)
      .where(and(eq(chatLogs.id, params.logId), eq(chatLogs.chatroomId, room.id)))
      .limit(1);
    if (!log) return undefined;
    if (log.role !== "user") return "not_user_log" as const;
    const position = sql`(${chatLogs.timestamp}, ${chatLogs.id})`;
    const edited = sql`(select ${chatLogs.timestamp}, ${chatLogs.id} from ${chatLogs} where ${chatLogs.id} = ${log.id})`;
    const removed = await tx
      .delete(chatLogs)
      .where(and(eq(chatLogs.chatroomId, room.id), sql`${position} > ${edited}`))
      .returning({ id: chatLogs.id });
    const [userLog] = await tx.update(chatLogs).set({ message: params.message }).where(eq(chatLogs.id, log.id)).returning();
    const [bumped] = await tx
      .update(chatRooms)
      .set({ updatedAt: sql`now()` })
      .where(eq(chatRooms.id, room.id))
      .returning();
    await recordHistoryPurge(tx, [room.id]);
    return { room: bumped ?? room, userLog: userLog!, removed: removed.map((row) => row.id) };
  });
  if (edited && edited !== "not_user_log") await purgeHistory([edited.room.id]);
  return edited;
}

/**
 * Sets (or, with `rating: null`, clears) the user's 👍/👎 and comment on a reply of their
 * room (docs/api.md#feedback). Does not bump the room's `updated_at`: rating is not activity.
 * Undefined when the room is not the user's or the log not in it; "not_a_reply" for the
 * user's own message.
 */
export async function setReplyFeedback(params: {
  roomId: number;
  userId: number;
  logId: number;
  rating: FeedbackRating | null;
  comment: string | null;
}, db?: Db): Promise<ChatLog | "not_a_reply" | undefined> {
  db ??= await getDb();
  const ownRoom = sql`${chatLogs.chatroomId} = (select ${chatRooms.id} from ${chatRooms} where ${chatRooms.id} = ${params.roomId} and ${chatRooms.userId} = ${params.userId})`;
  const [log] = await db
    .update(chatLogs)
    .set({ feedback: params.rating, feedbackComment: params.rating === null ? null : params.comment })
    .where(and(eq(chatLogs.id, params.logId), eq(chatLogs.role, "bot"), ownRoom))
    .returning();
  if (log) return log;
  // Nothing rated: say why (rare, so the common path stays one statement).
  const found = await findLogInRoom(params);
  return found?.log?.role === "user" ? "not_a_reply" : undefined;
}

/** The room's newest user log (what Regenerate answers again), or undefined. */
async function lastUserLog(db: Db, roomId: number) {
  const [log] = await db
    .select()
    .from(chatLogs)
    .where(and(eq(chatLogs.chatroomId, roomId), eq(chatLogs.role, "user")))
    .orderBy(desc(chatLogs.timestamp), desc(chatLogs.id))
    .limit(1);
  return log;
}
