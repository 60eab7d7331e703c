import "server-only";
import { and, asc, desc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chatLogs, type ChatLog } from "@/db/schema";
import { getRoomForUser } from "./rooms";
import { rowVersion } from "./version";

/** The logs of a user's room, read by their owner (docs/api.md). */

/** A log and its row version (docs/api.md#conditional-requests: the ETag is made of them). */
const versionedLog = { ...getTableColumns(chatLogs), version: rowVersion(chatLogs) };
export type VersionedLog = ChatLog & { version: string };

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
}): Promise<LogPage | undefined | "unknown_anchor"> {
  const db = await getDb();
  const room = await getRoomForUser(params, db);
  if (!room) return undefined;
  const inRoom = eq(chatLogs.chatroomId, room.id);

  if (params.limit === undefined && params.before === undefined && params.after === undefined) {
    const logs = await db.select(versionedLog).from(chatLogs).where(inRoom).orderBy(asc(chatLogs.timestamp), asc(chatLogs.id));
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
