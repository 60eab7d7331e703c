import "server-only";
import { and, desc, eq, getTableColumns, lt, ne, or, sql, type Table } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { DEFAULT_ROOM_TITLE, chatLogs, chatRooms, type ChatLog, type ChatRoom } from "@/db/schema";

/**
 * The queries of the bot's turn (docs/chat-turn.md). They run on behalf of a turn the caller
 * was already authorized for, so most are keyed by room id alone; the user's own message
 * is still scoped to its owner.
 */

/**
 * Every column of `table` as read from the CTE `cte`, which returned its rows, decoded as the
 * table's own columns are (bigint ids as numbers: a CTE's fields would come back as text).
 */
function columnsOf(cte: string, table: Table) {
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([key, column]) => [
      key,
      sql`${sql.identifier(cte)}.${sql.identifier(column.name)}`.mapWith(column),
    ]),
  );
}

/**
 * Appends a log and bumps the room's `updated_at`, atomically and in one statement (a
 * data-modifying CTE: no BEGIN/COMMIT round trips on the message path). `userId` scopes the
 * write to the owner (the user's own message); the bot's reply passes none. Returns
 * undefined when the room is gone (deleted meanwhile) or not the user's.
 */
export async function appendLog(params: {
  roomId: number;
  userId?: number;
  role: ChatLog["role"];
  message: string;
  stopped?: boolean;
  /** Bot logs: the model that wrote the reply and the tokens it reported (docs/chat-turn.md#usage). */
  model?: string | null;
  promptTokens?: number;
  completionTokens?: number;
}, db?: Db): Promise<{ log: ChatLog; room: ChatRoom } | undefined> {
  db ??= await getDb();
  const touched = db.$with("touched").as(
    db
      .update(chatRooms)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(chatRooms.id, params.roomId), params.userId === undefined ? undefined : eq(chatRooms.userId, params.userId)))
      .returning(),
  );
  // Raw SQL: drizzle's insert-select wants every column, in the table's order.
  const inserted = db.$with("inserted", {}).as(
    sql`insert into ${chatLogs} (chatroom_id, role, message, stopped, model, prompt_tokens, completion_tokens)
        select id, ${params.role}::chat_role, ${params.message}::text, ${params.stopped ?? false}::boolean,
               ${params.model ?? null}::varchar, ${params.promptTokens ?? null}::integer, ${params.completionTokens ?? null}::integer
        from touched
        returning *`,
  );
  const [row] = await db
    .with(touched, inserted)
    .select({ room: columnsOf("touched", chatRooms), log: columnsOf("inserted", chatLogs) })
    .from(sql`touched, inserted`);
  return row as { log: ChatLog; room: ChatRoom } | undefined;
}

/**
 * The model's context rebuilt from Postgres when the history store has lost it (docs/chat-turn.md#context):
 * the room's last `limit` logs before the message being answered, ascending. Replies that
 * finished meanwhile count (an earlier turn answered while this one waited); user messages
 * sent after this one do not (they are still waiting for their own turn).
 */
export async function contextLogs(params: { roomId: number; excludeLogId: number; limit: number }, db?: Db) {
  db ??= await getDb();
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
export async function countBotLogs(roomId: number, db?: Db) {
  db ??= await getDb();
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(chatLogs)
    .where(and(eq(chatLogs.chatroomId, roomId), eq(chatLogs.role, "bot")));
  return row?.count ?? 0;
}

/** Sets the title only while it is still the default: never overwrites a rename. */
export async function setTitleIfDefault(params: { roomId: number; title: string }, db?: Db) {
  db ??= await getDb();
  const [room] = await db
    .update(chatRooms)
    .set({ title: params.title })
    .where(and(eq(chatRooms.id, params.roomId), eq(chatRooms.title, DEFAULT_ROOM_TITLE)))
    .returning();
  return room;
}

export async function roomExists(roomId: number, db?: Db) {
  db ??= await getDb();
  const [row] = await db.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.id, roomId)).limit(1);
  return row !== undefined;
}
