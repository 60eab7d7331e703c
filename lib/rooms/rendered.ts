import "server-only";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedFor } from "@/db/prepared";
import { chatLogs, chatRooms } from "@/db/schema";
import { callerSource, touchApiToken, type CallerKey } from "@/lib/tokens";
import type { RoomCursor } from "./cursor";
import { listOrder, listOrderReversed } from "./rooms";

/**
 * The reads clients make most — a room with its logs, all of a room's logs, a user's rooms
 * (all of them, or one keyset page) — answered with JSON that Postgres renders
 * (docs/api.md#rendered-reads).
 *
 * One statement finds the caller (a bearer token's owner included), reads the rows, checks
 * the owner, computes the ETag and, unless the caller already holds that tag, renders the
 * body as one string. Node then neither maps rows nor builds objects nor stringifies them:
 * for a room of 10,000 logs that work was over half of a request's CPU (bench/README.md).
 * The JSON is byte for byte what lib/serializers.ts gives for the same rows;
 * tests/unit/rendered-json.test.ts holds the two together.
 */

/** Bumped when a rendered shape changes, so tags minted before do not match (lib/api/etag.ts). */
const SHAPE = "r1";

/** A rendered answer: its ETag value (no quotes) and its body, null when the caller's tag matched. */
export type Rendered = { tag: string; body: string | null };

/**
 * isoTimestamp() of lib/serializers.ts, in SQL: the UTC text form with `T` and `Z`
 * ("2026-11-24T09:30:12.123456Z", trailing zeros of the fraction dropped, as Postgres prints).
 */
const iso = (column: AnyColumn) => sql`replace((${column} at time zone 'UTC')::text, ' ', 'T') || 'Z'`;

/** logJson(), in SQL: one log as a JSON object, keys in the same order. */
const logObject = sql`(select row_to_json(w)::text from (select
  ${chatLogs.id} as "id",
  ${chatLogs.chatroomId} as "chatroom",
  ${chatLogs.role} as "role",
  ${chatLogs.message} as "message",
  ${iso(chatLogs.timestamp)} as "timestamp",
  ${chatLogs.stopped} as "stopped",
  ${chatLogs.model} as "model",
  case when ${chatLogs.promptTokens} is null and ${chatLogs.completionTokens} is null then null
    else ('{"prompt_tokens":' || coalesce(${chatLogs.promptTokens}, 0) || ',"completion_tokens":' || coalesce(${chatLogs.completionTokens}, 0) || '}')::json
  end as "usage",
  ${chatLogs.feedback} as "feedback",
  ${chatLogs.feedbackComment} as "feedback_comment") w)`;

/** roomJson(), in SQL. */
const roomObject = sql`(select row_to_json(w)::text from (select
  ${chatRooms.id} as "id",
  ${chatRooms.userId} as "user",
  ${chatRooms.title} as "title",
  ${iso(chatRooms.createdAt)} as "created_at",
  ${iso(chatRooms.updatedAt)} as "updated_at",
  ${chatRooms.model} as "model",
  ${chatRooms.systemPrompt} as "system_prompt",
  ${chatRooms.pinned} as "pinned",
  ${chatRooms.archived} as "archived") w)`;

const logOrder = sql`${chatLogs.timestamp}, ${chatLogs.id}`;
const roomOrder = sql.join(listOrder, sql`, `);
const version = (table: typeof chatLogs | typeof chatRooms) => sql`${table.id}::text || ':' || ${table}.xmin::text`;

/** The logs of the outer query's room: their JSON array, and their versions for the tag. */
const logsArray = sql`(select '[' || coalesce(string_agg(${logObject}, ',' order by ${logOrder}), '') || ']'
  from ${chatLogs} where ${chatLogs.chatroomId} = ${chatRooms.id})`;
const logVersions = sql`(select coalesce(string_agg(${version(chatLogs)}, ',' order by ${logOrder}), '')
  from ${chatLogs} where ${chatLogs.chatroomId} = ${chatRooms.id})`;

/**
 * The body unless the caller holds the tag (or sent `*`: any version will do). A scalar
 * subquery in a CASE branch runs only when that branch is taken: a 304 costs the versions,
 * never the JSON.
 */
const unlessKnown = (body: SQL) =>
  sql`case when array[t.tag, '*'] && string_to_array(${sql.placeholder("known")}, ' ') then null else ${body} end`;

/**
 * A statement in two prepared forms, one per kind of caller key (lib/tokens.ts): its rows are
 * `caller.*` (no row: no such token) beside the read's `r.tag` and `r.body` (null tag: no such
 * room of the caller's). The token's lookup is part of the read: one statement, not two.
 */
type By = "token" | "user";
function keyedStatement(name: string, read: SQL, options: { paged?: boolean } = {}) {
  const build = (by: By) =>
    preparedFor((db) =>
      db
        .select({
          tokenId: sql<number | null>`caller.token_id`.mapWith((id) => (id === null ? null : Number(id))),
          stale: sql<boolean>`caller.stale`,
          tag: sql<string | null>`r.tag`,
          body: sql<string | null>`r.body`,
          // A page's neighbours (renderRoomsPage): "<has more>|<first position>|<last position>".
          page: options.paged ? sql<string | null>`r.page` : sql<null>`null`,
        })
        .from(sql`${callerSource(by)} caller left join lateral (${read}) r on true`)
        .prepare(`${name}_by_${by}`),
    );
  return { token: build("token"), user: build("user") };
}

const ownRoom = sql`${chatRooms.id} = ${sql.placeholder("roomId")} and ${chatRooms.userId} = caller.user_id`;

const roomWithLogs = keyedStatement(
  "rendered_room_with_logs",
  sql`select t.tag, ${unlessKnown(sql`(select left(${roomObject}, -1) || ',"chatlogs":' || ${logsArray} || '}')`)} as body
    from ${chatRooms} cross join lateral (select md5(${`${SHAPE}|room|`} || ${version(chatRooms)} || '|' || ${logVersions}) as tag) t
    where ${ownRoom}`,
);

const logsOfRoom = keyedStatement(
  "rendered_logs_of_room",
  sql`select t.tag, ${unlessKnown(logsArray)} as body
    from ${chatRooms} cross join lateral (select md5(${`${SHAPE}|logs|`} || ${logVersions}) as tag) t
    where ${ownRoom}`,
);

const callerRooms = sql`${chatRooms.userId} = caller.user_id and ${chatRooms.archived} = ${sql.placeholder("archived")}`;
const roomsOfUser = keyedStatement(
  "rendered_rooms_of_user",
  sql`select t.tag, ${unlessKnown(
    sql`(select '[' || coalesce(string_agg(${roomObject}, ',' order by ${roomOrder}), '') || ']' from ${chatRooms} where ${callerRooms})`,
  )} as body
    from (select md5(${`${SHAPE}|rooms|`} || coalesce(string_agg(${version(chatRooms)}, ',' order by ${roomOrder}), '')) as tag
      from ${chatRooms} where ${callerRooms}) t`,
);

/**
 * One keyset page of `GET /room/?limit=` (docs/api.md#paging), unsearched. The page's rows
 * (the limit, and one more to know whether more follow) are found first, in the direction
 * read; their tag is made from their versions and whether more follow; only then, unless
 * the caller holds the tag, are they rendered, in the list's order. The positions of the
 * page's first and last rooms come back for the route's Link cursors.
 */
const position = sql`(${chatRooms.pinned}, ${chatRooms.updatedAt}, ${chatRooms.id})`;
const cursorAt = sql`(${sql.placeholder("pinned")}::boolean, ${sql.placeholder("updatedAt")}::timestamptz, ${sql.placeholder("id")}::bigint)`;
const limit = sql`${sql.placeholder("limit")}::int`;
/** A room's position as the cursor holds it: pinned, Postgres's UTC text form of updated_at, id. */
const positionText = sql`(case when page.pinned then '1' else '0' end) || ',' || (page.updated_at at time zone 'UTC')::text || '+00' || ',' || page.id`;

function roomsPage(direction: "first" | "next" | "prev") {
  const after = direction === "next" ? sql` and ${position} < ${cursorAt}` : direction === "prev" ? sql` and ${position} > ${cursorAt}` : sql``;
  const readOrder = sql.join(direction === "prev" ? listOrderReversed : listOrder, sql`, `);
  return keyedStatement(
    `rendered_rooms_page_${direction}`,
    sql`with page as (
        select ${chatRooms.id} as id, ${chatRooms.pinned} as pinned, ${chatRooms.updatedAt} as updated_at, ${version(chatRooms)} as version,
          row_number() over (order by ${readOrder}) as n
        from ${chatRooms} where ${callerRooms}${after} order by ${readOrder} limit ${limit} + 1),
      t as (select md5(${`${SHAPE}|page|`} || coalesce(string_agg(page.version, ',' order by page.n) filter (where page.n <= ${limit}), '')
        || '|' || (count(*) > ${limit})::text) as tag from page)
      select t.tag, ${unlessKnown(sql`(select '[' || coalesce(string_agg(${roomObject}, ',' order by ${roomOrder}), '') || ']'
          from ${chatRooms} join page on page.id = ${chatRooms.id} where page.n <= ${limit})`)} as body,
        (select count(*) > ${limit} from page)::text
          || '|' || coalesce((select ${positionText} from page where page.n <= ${limit} order by page.pinned desc, page.updated_at desc, page.id desc limit 1), '')
          || '|' || coalesce((select ${positionText} from page where page.n <= ${limit} order by page.pinned, page.updated_at, page.id limit 1), '') as page
      from t`,
    { paged: true },
  );
}
const roomsPages = { first: roomsPage("first"), next: roomsPage("next"), prev: roomsPage("prev") };

/** A rendered read's outcome: the answer, or why there is none. */
export type RenderedRead = Rendered | "not_found" | "unauthenticated";

/** Runs the statement for the caller's kind of key; records a token's use when due. */
async function execute(
  statement: ReturnType<typeof keyedStatement>,
  caller: CallerKey,
  values: Record<string, unknown>,
  known: readonly string[],
  db?: Db,
) {
  db ??= await getDb();
  const by: By = "tokenHash" in caller ? "token" : "user";
  // What the caller holds (`If-None-Match`'s opaque tags), as the statements take it.
  const [row] = await statement[by](db).execute({ ...values, ...caller, known: known.join(" ") });
  if (row?.stale && row.tokenId !== null) await touchApiToken(row.tokenId, db);
  return row;
}

/** A read of one resource: no row means no such token, no tag no such room of the caller's. */
async function read(...args: Parameters<typeof execute>): Promise<RenderedRead> {
  const row = await execute(...args);
  if (!row) return "unauthenticated";
  if (row.tag === null) return "not_found";
  return { tag: row.tag, body: row.body };
}

/** `GET /room/{id}/`: the room and every log. */
export function renderRoomWithLogs(params: { roomId: number; caller: CallerKey; known: readonly string[] }, db?: Db) {
  return read(roomWithLogs, params.caller, { roomId: params.roomId }, params.known, db);
}

/** `GET /room/{id}/logs/` without paging: every log, ascending. */
export function renderLogsOfRoom(params: { roomId: number; caller: CallerKey; known: readonly string[] }, db?: Db) {
  return read(logsOfRoom, params.caller, { roomId: params.roomId }, params.known, db);
}

/** `GET /room/` without search or paging: every room of the caller (archived ones alone, or none of them). */
export function renderRoomsOfUser(params: { caller: CallerKey; archived: boolean; known: readonly string[] }, db?: Db) {
  return read(roomsOfUser, params.caller, { archived: params.archived }, params.known, db);
}

/** A rendered page and the cursors of its neighbours, as `listRoomsForUser` gives them. */
export type RenderedPage = Rendered & { next: RoomCursor | undefined; prev: RoomCursor | undefined };

/** `GET /room/?limit=` (and `cursor`), unsearched: one keyset page of the caller's rooms. */
export async function renderRoomsPage(
  params: { caller: CallerKey; archived: boolean; limit: number; cursor?: RoomCursor; known: readonly string[] },
  db?: Db,
): Promise<RenderedPage | "unauthenticated"> {
  const { cursor } = params;
  const values = {
    archived: params.archived,
    limit: params.limit,
    ...(cursor ? { pinned: cursor.pinned, updatedAt: cursor.updatedAt, id: cursor.id } : {}),
  };
  const row = await execute(roomsPages[cursor?.direction ?? "first"], params.caller, values, params.known, db);
  if (!row) return "unauthenticated";
  const [more, first, last] = row.page!.split("|");
  const hasMore = more === "true";
  const at = (text: string | undefined, direction: RoomCursor["direction"]): RoomCursor | undefined => {
    if (!text) return undefined;
    const [pinned, updatedAt, id] = text.split(",");
    return { pinned: pinned === "1", updatedAt: updatedAt!, id: Number(id), direction };
  };
  // The same rule as listRoomsForUser: older rooms follow when this page is full going
  // forwards, or when we came back from them; newer ones precede when we came from them.
  const backwards = cursor?.direction === "prev";
  return {
    tag: row.tag!,
    body: row.body,
    next: backwards || hasMore ? at(last, "next") : undefined,
    prev: (backwards ? hasMore : cursor !== undefined) ? at(first, "prev") : undefined,
  };
}
