/**
 * The server's memory while it exports and imports (docs/api.md#export-and-import):
 *
 * 1. `GET /auth/me/export/` of an account of 100,000 logs (one room of 50,000, fifty of
 *    1,000), downloaded at full speed, then again by a client that stops reading for 5 s
 *    after the first MiB (without backpressure the server would buffer the rest meanwhile);
 * 2. `POST /room/import/` of a generated 10 MB ChatGPT conversations.json (bench/chatgpt-export.ts).
 *
 * VmRSS of the `next start` process is sampled every 50 ms (/proc/<pid>/status). Production
 * build required (`npx next build`). On the real Postgres by default, the logs seeded straight
 * through SQL in a fresh database; `BENCH_DB=pglite` runs the embedded database instead,
 * seeded through the import endpoint (PGlite lives inside the server).
 *
 *     npx tsx bench/export-memory.ts            # Postgres at DATABASE_URL or 127.0.0.1
 *     BENCH_DB=pglite npx tsx bench/export-memory.ts
 *
 * Results: printed, and bench/results/export-memory[-pglite].json.
 */
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { ROOT, startStack, type Stack } from "../tests/support/stack";
import { generateChatGptExport } from "./chatgpt-export";
import { registerUser, type ApiUser } from "./http";
import { findServerPid, findServerPidByPort, rssMb } from "./rss";

const BIG_ROOM_LOGS = 50_000;
const SMALL_ROOMS = 50;
const SMALL_ROOM_LOGS = 1_000;
const TOTAL_LOGS = BIG_ROOM_LOGS + SMALL_ROOMS * SMALL_ROOM_LOGS;
const IMPORT_BYTES = 10 * 1000 * 1000;
const pglite = process.env.BENCH_DB === "pglite";
const log = (message: string) => console.log(`[export-memory] ${message}`);

/** Peak and samples of the server's RSS while `run` runs. */
async function measured<T>(pid: number, run: () => Promise<T>) {
  const before = rssMb(pid)!;
  let peak = before;
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now !== undefined && now > peak) peak = now;
  }, 50);
  const started = performance.now();
  try {
    const result = await run();
    return { result, seconds: (performance.now() - started) / 1000, beforeMb: before, peakMb: peak, afterMb: rssMb(pid)! };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build: run `npx next build` first.");
  if (pglite) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/postgres";
  delete process.env.REDIS_URL; // memory of the app, not of a Redis client's buffers

  const stack: Stack = await startStack({
    env: { RATE_LIMIT_WRITES_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_MINUTE: "100000", LOG_LEVEL: "warn" },
  });
  try {
    const pid = stack.pid !== undefined ? findServerPid(stack.pid) : findServerPidByPort(Number(new URL(stack.baseUrl).port));
    if (pid === undefined) throw new Error("cannot find the server's process");
    const user = await registerUser(stack.baseUrl, "exporter");
    log(`server ${stack.baseUrl} (pid ${pid}), ${pglite ? "PGlite" : `Postgres ${new URL(stack.databaseUrl!).pathname.slice(1)}`}`);

    const seeded = Date.now();
    if (pglite) await seedThroughImport(stack.baseUrl, user);
    else await seedThroughSql(stack.databaseUrl!, user.id);
    log(`seeded ${TOTAL_LOGS.toLocaleString("en-US")} logs in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    // Warm the route (first compile of its module, first queries), as any long-running server is.
    const rooms = (await (await fetch(`${stack.baseUrl}/api/chatbot/room/`, { headers: { authorization: `Bearer ${user.token}` } })).json()) as {
      id: number;
      title: string;
    }[];
    rooms.sort((a, b) => a.id - b.id); // the first is the big room
    await download(stack.baseUrl, user, `/room/${rooms.at(-1)!.id}/export/`);

    const fast = await measured(pid, () => download(stack.baseUrl, user, "/auth/me/export/"));
    const document = JSON.parse(fast.result.text) as { rooms: { logs: unknown[] }[] };
    const exportedLogs = document.rooms.reduce((sum, room) => sum + room.logs.length, 0);
    if (exportedLogs !== TOTAL_LOGS) throw new Error(`exported ${exportedLogs} logs, expected ${TOTAL_LOGS}`);
    const exportMb = fast.result.bytes / 1024 / 1024;
    log(
      `export at full speed: ${exportMb.toFixed(1)} MiB, ${exportedLogs.toLocaleString("en-US")} logs in ${fast.seconds.toFixed(1)} s; ` +
        `server RSS ${fast.beforeMb} MB before, peak ${fast.peakMb} MB (+${fast.peakMb - fast.beforeMb})`,
    );

    const again = await measured(pid, () => download(stack.baseUrl, user, "/auth/me/export/"));
    log(`export again: server RSS ${again.beforeMb} MB before, peak ${again.peakMb} MB (+${again.peakMb - again.beforeMb})`);

    const slow = await measured(pid, () => download(stack.baseUrl, user, "/auth/me/export/", { pauseAfterBytes: 1024 * 1024, pauseMs: 5_000 }));
    log(`export read slowly (5 s pause after 1 MiB): server RSS ${slow.beforeMb} MB before, peak ${slow.peakMb} MB (+${slow.peakMb - slow.beforeMb})`);

    // For scale: an answer built whole in memory, `GET /room/{id}/` of the 50,000-log room.
    const bigRoomId = rooms[0]!.id;
    const whole = await measured(pid, () => download(stack.baseUrl, user, `/room/${bigRoomId}/`));
    log(
      `for comparison, GET /room/{id}/ of the ${BIG_ROOM_LOGS.toLocaleString("en-US")}-log room (not streamed): ` +
        `${(whole.result.bytes / 1024 / 1024).toFixed(1)} MiB, server RSS ${whole.beforeMb} MB before, peak ${whole.peakMb} MB (+${whole.peakMb - whole.beforeMb})`,
    );

    const generated = generateChatGptExport(IMPORT_BYTES);
    const imported = await measured(pid, async () => {
      const res = await fetch(`${stack.baseUrl}/api/chatbot/room/import/`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
        body: generated.json,
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`import: ${res.status} ${text.slice(0, 300)}`);
      return (JSON.parse(text) as unknown[]).length;
    });
    const importMb = Buffer.byteLength(generated.json) / 1024 / 1024;
    log(
      `import of ChatGPT's conversations.json: ${importMb.toFixed(1)} MiB, ${imported.result} conversations, ` +
        `${generated.keptMessages.toLocaleString("en-US")} messages kept, in ${imported.seconds.toFixed(1)} s; ` +
        `server RSS ${imported.beforeMb} MB before, peak ${imported.peakMb} MB (+${imported.peakMb - imported.beforeMb})`,
    );

    const results = {
      date: new Date().toISOString(),
      database: pglite ? "pglite" : "postgres",
      export: {
        logs: exportedLogs,
        rooms: document.rooms.length,
        mib: round(exportMb),
        fast: { seconds: round(fast.seconds), rssBeforeMb: fast.beforeMb, rssPeakMb: fast.peakMb, rssAfterMb: fast.afterMb },
        again: { seconds: round(again.seconds), rssBeforeMb: again.beforeMb, rssPeakMb: again.peakMb, rssAfterMb: again.afterMb },
        slowReader: { seconds: round(slow.seconds), rssBeforeMb: slow.beforeMb, rssPeakMb: slow.peakMb, rssAfterMb: slow.afterMb },
      },
      roomDetailForComparison: {
        logs: BIG_ROOM_LOGS,
        mib: round(whole.result.bytes / 1024 / 1024),
        seconds: round(whole.seconds),
        rssBeforeMb: whole.beforeMb,
        rssPeakMb: whole.peakMb,
        rssAfterMb: whole.afterMb,
      },
      import: {
        mib: round(importMb),
        conversations: imported.result,
        messages: generated.keptMessages,
        seconds: round(imported.seconds),
        rssBeforeMb: imported.beforeMb,
        rssPeakMb: imported.peakMb,
        rssAfterMb: imported.afterMb,
      },
    };
    const file = path.join(ROOT, "bench/results", `export-memory${pglite ? "-pglite" : ""}.json`);
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, file)}`);
  } finally {
    await stack.stop();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Reads a download to the end as a client would, optionally pausing once (a slow reader). */
async function download(baseUrl: string, user: ApiUser, route: string, slow?: { pauseAfterBytes: number; pauseMs: number }) {
  const res = await fetch(`${baseUrl}/api/chatbot${route}`, { headers: { authorization: `Bearer ${user.token}` } });
  if (res.status !== 200) throw new Error(`${route}: ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  let paused = false;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.byteLength;
    text += decoder.decode(read.value, { stream: true });
    if (slow && !paused && bytes >= slow.pauseAfterBytes) {
      paused = true;
      await new Promise((resolve) => setTimeout(resolve, slow.pauseMs));
    }
  }
  return { bytes, text };
}

/** Typical message lengths: a question of a line, an answer of a few paragraphs. */
const MESSAGE_SQL = `case when n % 2 = 1
  then 'Question ' || n || ': how do I read a big table in pages without OFFSET?'
  else 'Answer ' || n || ': ' || repeat('Use a keyset: remember the last (timestamp, id) and ask for the rows after it. ', 2 + n % 6)
end`;

async function seedThroughSql(databaseUrl: string, userId: number) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rooms = await sql<{ id: string }[]>`
      insert into chat_rooms (user_id, title, created_at, updated_at)
      select ${userId}::bigint, 'Room ' || i, now() - interval '30 days', now() - interval '30 days' + i * interval '1 minute'
      from generate_series(1, ${SMALL_ROOMS + 1}::int) as i order by i returning id`;
    const [big, ...small] = rooms.map((room) => Number(room.id));
    const insert = (roomIds: number[], perRoom: number) =>
      sql.unsafe(
        `insert into chat_logs (chatroom_id, role, message, timestamp)
         select r, (case when n % 2 = 1 then 'user' else 'bot' end)::chat_role, ${MESSAGE_SQL},
                now() - interval '30 days' + n * interval '1 second'
         from unnest($1::bigint[]) as r cross join generate_series(1, $2::int) as n`,
        [roomIds, perRoom],
      );
    await insert([big!], BIG_ROOM_LOGS);
    await insert(small, SMALL_ROOM_LOGS);
    await sql`vacuum analyze chat_rooms, chat_logs`;
  } finally {
    await sql.end();
  }
}

/** PGlite runs inside the server: the same account, brought in through our own import format. */
async function seedThroughImport(baseUrl: string, user: ApiUser) {
  const message = (n: number) =>
    n % 2 === 1
      ? `Question ${n}: how do I read a big table in pages without OFFSET?`
      : `Answer ${n}: ${"Use a keyset: remember the last (timestamp, id) and ask for the rows after it. ".repeat(2 + (n % 6))}`;
  const room = (title: string, count: number) => ({
    room: { title },
    logs: Array.from({ length: count }, (_, i) => ({
      role: (i + 1) % 2 === 1 ? "user" : "bot",
      message: message(i + 1),
      timestamp: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    })),
  });
  const post = async (rooms: ReturnType<typeof room>[]) => {
    const res = await fetch(`${baseUrl}/api/chatbot/room/import/`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify({ version: 1, rooms }),
    });
    if (res.status !== 201) throw new Error(`seed import: ${res.status} ${(await res.text()).slice(0, 300)}`);
  };
  // Under 20 MiB a request: the big room on its own (~15 MB), the small ones ten at a time.
  await post([room("Room 1", BIG_ROOM_LOGS)]);
  for (let first = 0; first < SMALL_ROOMS; first += 10) {
    await post(Array.from({ length: 10 }, (_, i) => room(`Room ${first + i + 2}`, SMALL_ROOM_LOGS)));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
