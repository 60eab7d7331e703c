import postgres from "postgres";
import { config } from "./config";
import { registerUser, type ApiUser } from "./http";

/**
 * Seeds the bench database at scale, straight through SQL (generate_series, one statement
 * per batch), after creating the two API users through the API so their password hashes
 * and tokens are real:
 * - `bench`: 1,000 rooms; three of them hold 100, 10,000 and 100,000 logs (alternating
 *   user/bot, increasing timestamps), the others a few logs each. Read endpoints use it.
 * - `writer`: rooms consumed by the write endpoints (messages, DELETE, the TTFT sends), so
 *   the bench user's data stays the same size while the writes run.
 * - 100 other users with a few rooms each, so every query has to pick the caller's rows.
 */
export type BigRoom = { logs: number; roomId: number; middleLogId: number };

export type Seed = {
  bench: ApiUser;
  writer: ApiUser;
  bigRooms: BigRoom[];
  /** One of the 100 other users: what a typical account's queries look like. */
  typicalUserId: number;
  /** The bench user's ordinary rooms whose title has no search term: PATCH targets. */
  renameRoomIds: number[];
  messageRoomIds: number[];
  deleteRoomIds: number[];
  ttftRoomIds: number[];
  totals: { users: number; rooms: number; logs: number };
  seconds: number;
};

type Sql = postgres.Sql;
// Arrays are passed as plain JS arrays with a cast (`${ids}::bigint[]`): postgres.js then
// serializes them for the type the server describes. (`sql.array(strings)` sent a malformed literal.)

// Message text: a small vocabulary, so the trigram index sees realistic repetition.
const TOPICS = ["서울 맛집", "부산 바다", "kimchi recipe", "TypeScript generics", "Postgres indexes", "travel budget", "날씨 예보", "React hooks"];

export async function seed(baseUrl: string, databaseUrl: string, extraWriterRooms: number): Promise<Seed> {
  const started = Date.now();
  const bench = await registerUser(baseUrl, "bench");
  const writer = await registerUser(baseUrl, "writer");

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const s = config.seed;
    // Bench user: 1,000 rooms, updated_at one minute apart (the sidebar's order).
    const benchRoomIds = await insertRooms(sql, bench.id, s.benchRooms, (i) =>
      i % 10 === 0 ? `${config.searchTerm3} 여행 계획 ${i}` : `Bench room ${i}`,
    );
    const [small, medium, large] = s.bigRoomLogs;
    const bigIds = benchRoomIds.slice(0, 3);
    const ordinaryRoomIds = benchRoomIds.slice(3);
    const bigRooms: BigRoom[] = [];
    for (const [i, logs] of [small, medium, large].entries()) {
      const roomId = bigIds[i]!;
      await sql`update chat_rooms set title = ${`Big room (${logs} logs)`} where id = ${roomId}`;
      await insertConversation(sql, roomId, logs);
      bigRooms.push({ logs, roomId, middleLogId: await middleLogId(sql, roomId, logs) });
    }
    await insertLogsPerRoom(sql, ordinaryRoomIds, s.logsPerRoom);
    // 1 ordinary room in 50 mentions the search term in a message, not in its title.
    const mentioning = ordinaryRoomIds.filter((_, i) => i % 50 === 7);
    await sql`
      insert into chat_logs (chatroom_id, role, message, timestamp)
      select r.id, 'user', ${`${config.searchTerm3} 맛집 추천해 줘`}, r.updated_at
      from chat_rooms r where r.id = any(${mentioning}::bigint[])`;

    // 100 other users, a few rooms each, created straight in SQL (no password: never sign in).
    const others = await sql<{ id: string }[]>`
      insert into users (email, name)
      select 'other-' || i || '-' || ${Date.now().toString(36)} || '@bench.local', 'Other ' || i
      from generate_series(1, ${s.otherUsers}::int) as i
      returning id`;
    const otherRoomIds: number[] = [];
    for (const user of others) {
      otherRoomIds.push(...(await insertRooms(sql, Number(user.id), s.roomsPerOtherUser, (i) => `Other room ${i}`)));
    }
    await insertLogsPerRoom(sql, otherRoomIds, s.logsPerOtherRoom);

    // Writer: titled rooms (no auto-title call) with a short conversation each.
    const messageRoomIds = await insertRooms(sql, writer.id, s.messageRooms, (i) => `Bench chat ${i}`);
    const deleteRoomIds = await insertRooms(sql, writer.id, extraWriterRooms, (i) => `To delete ${i}`);
    const ttftRoomIds = await insertRooms(sql, writer.id, config.ttftSamples + 5, (i) => `TTFT ${i}`);
    await insertLogsPerRoom(sql, [...messageRoomIds, ...deleteRoomIds, ...ttftRoomIds], 2);

    // Settled tables, as in production: fresh statistics and a visibility map.
    await sql`vacuum analyze users, chat_rooms, chat_logs, api_tokens`;
    return {
      bench,
      writer,
      typicalUserId: Number(others[0]!.id),
      bigRooms,
      renameRoomIds: (
        await sql<{ id: string }[]>`
          select id from chat_rooms where user_id = ${bench.id} and title like 'Bench room %' order by id`
      ).map((r) => Number(r.id)),
      messageRoomIds,
      deleteRoomIds,
      ttftRoomIds,
      totals: await seedTotals(databaseUrl),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await sql.end();
  }
}

/** `count` rooms for the user, updated_at increasing with i; returns their ids in that order. */
async function insertRooms(sql: Sql, userId: number, count: number, title: (i: number) => string) {
  if (count === 0) return [];
  const titles = Array.from({ length: count }, (_, i) => title(i + 1));
  const rows = await sql<{ id: string }[]>`
    insert into chat_rooms (user_id, title, created_at, updated_at)
    select ${userId}::bigint, t.title,
           now() - interval '60 days' + t.i * interval '1 minute',
           now() - interval '60 days' + t.i * interval '1 minute'
    from unnest(${titles}::text[]) with ordinality as t(title, i)
    order by t.i
    returning id`;
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** One long conversation: alternating user/bot, one second apart, ending about now. */
async function insertConversation(sql: Sql, roomId: number, count: number) {
  await sql`
    insert into chat_logs (chatroom_id, role, message, timestamp)
    select ${roomId}::bigint,
           (case when n % 2 = 1 then 'user' else 'bot' end)::chat_role,
           case when n % 2 = 1
             then 'Question ' || n || ': tell me about ' || (${TOPICS}::text[])[1 + n % 8]
             else 'Answer ' || n || ': here is what I know about ' || (${TOPICS}::text[])[1 + (n - 1) % 8]
                  || '. ' || repeat('It depends on the details, so let us go through them step by step. ', 1 + n % 3)
           end,
           now() - ${count}::int * interval '1 second' + n * interval '1 second'
    from generate_series(1, ${count}::int) as n`;
  await sql`update chat_rooms set updated_at = now() where id = ${roomId}`;
}

/** `perRoom` alternating logs in each room, starting at the room's creation. */
async function insertLogsPerRoom(sql: Sql, roomIds: number[], perRoom: number) {
  if (roomIds.length === 0) return;
  await sql`
    insert into chat_logs (chatroom_id, role, message, timestamp)
    select r.id,
           (case when n % 2 = 1 then 'user' else 'bot' end)::chat_role,
           case when n % 2 = 1 then 'About ' || (${TOPICS}::text[])[1 + (r.id + n) % 8] || '?'
                else 'A short answer about ' || (${TOPICS}::text[])[1 + (r.id + n - 1) % 8] || '.' end,
           r.created_at + n * interval '1 second'
    from chat_rooms r cross join generate_series(1, ${perRoom}::int) as n
    where r.id = any(${roomIds}::bigint[])`;
}

/** The id of the log halfway through the room: the `before=` anchor of the cost curve. */
async function middleLogId(sql: Sql, roomId: number, count: number) {
  const [row] = await sql<{ id: string }[]>`
    select id from chat_logs where chatroom_id = ${roomId}
    order by timestamp, id offset ${Math.floor(count / 2)} limit 1`;
  return Number(row!.id);
}

/**
 * The anchors' data in our schema (shared/anchors/drf/seed.py), so that each compared GET
 * is the same work in every server (bench/compare.ts):
 * - user A: exactly 50 rooms ("room N", a minute apart) of 2 logs ("message 1", "message 2");
 * - user C: rooms of 1,000 and 10,000 logs, "message number N with some ordinary chat text
 *   in it", alternating user/bot, a millisecond apart.
 * Both users are registered through the API, so their tokens are real.
 */
export type ComparableSeed = {
  userA: ApiUser;
  userC: ApiUser;
  /** User A's first room (seed.py's DRF_ROOM_SMALL: its lowest id). */
  roomSmall: number;
  room1k: number;
  room10k: number;
};

export const COMPARABLE_ROOMS = 50;

export async function seedComparable(baseUrl: string, databaseUrl: string): Promise<ComparableSeed> {
  const userA = await registerUser(baseUrl, "anchor-a");
  const userC = await registerUser(baseUrl, "anchor-c");
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rooms = await sql<{ id: string }[]>`
      insert into chat_rooms (user_id, title, created_at, updated_at)
      select ${userA.id}::bigint, 'room ' || g, now() - g * interval '1 minute', now() - g * interval '1 minute'
      from generate_series(1, ${COMPARABLE_ROOMS}::int) as g
      order by g
      returning id`;
    const roomIds = rooms.map((r) => Number(r.id));
    await sql`
      insert into chat_logs (chatroom_id, role, message, timestamp)
      select r.id, (case when g % 2 = 1 then 'user' else 'bot' end)::chat_role, 'message ' || g, now()
      from chat_rooms r cross join generate_series(1, 2) as g
      where r.user_id = ${userA.id}`;
    const big: number[] = [];
    for (const n of [1_000, 10_000]) {
      const [room] = await sql<{ id: string }[]>`
        insert into chat_rooms (user_id, title, created_at, updated_at)
        values (${userC.id}, ${`big ${n}`}, now(), now()) returning id`;
      const roomId = Number(room!.id);
      big.push(roomId);
      await sql`
        insert into chat_logs (chatroom_id, role, message, timestamp)
        select ${roomId}::bigint, (case when g % 2 = 1 then 'user' else 'bot' end)::chat_role,
               'message number ' || g || ' with some ordinary chat text in it', now() + g * interval '1 millisecond'
        from generate_series(1, ${n}::int) as g`;
    }
    await sql`vacuum analyze chat_rooms, chat_logs`;
    return { userA, userC, roomSmall: Math.min(...roomIds), room1k: big[0]!, room10k: big[1]! };
  } finally {
    await sql.end();
  }
}

/** Users, rooms and logs in the bench database. */
export async function seedTotals(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [totals] = await sql<{ users: number; rooms: number; logs: number }[]>`
      select (select count(*) from users)::int as users, (select count(*) from chat_rooms)::int as rooms,
             (select count(*) from chat_logs)::int as logs`;
    return totals!;
  } finally {
    await sql.end();
  }
}
