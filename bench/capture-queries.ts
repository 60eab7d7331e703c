/**
 * Child process of the bench (run with `node --conditions=react-server --import tsx`, so
 * lib/rooms/'s `import "server-only"` loads): calls lib/rooms/'s listing functions
 * against the bench database with a logging drizzle instance installed where db/client.ts
 * keeps its connection, and prints the exact SQL and parameters they sent, as JSON.
 * Usage: capture-queries.ts '<CaptureInput JSON>'
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";

export type CaptureInput = {
  databaseUrl: string;
  userId: number;
  typicalUserId: number;
  searchTerms: string[];
  bigRooms: { logs: number; roomId: number; middleLogId: number }[];
};
export type CapturedQuery = { label: string; sql: string; params: unknown[] };

export const CAPTURE_MARKER = "@@captured@@";

async function main() {
  const input = JSON.parse(process.argv[2] ?? "") as CaptureInput;
  const captured: CapturedQuery[] = [];
  let label = "";
  const client = postgres(input.databaseUrl, { max: 1, onnotice: () => {}, connection: { TimeZone: "UTC" } });
  const db = drizzle(client, {
    schema,
    logger: { logQuery: (sql, params) => void captured.push({ label, sql, params }) },
  });
  // db/client.ts keeps its connection here; installing ours first makes getDb() return it.
  (globalThis as unknown as { __ainfoDb?: Promise<unknown> }).__ainfoDb = Promise.resolve({
    db,
    driver: "postgres",
    close: () => client.end(),
  });
  const { listRoomsForUser, listLogsForRoom } = await import("@/lib/rooms");
  const run = async <T>(name: string, fn: () => Promise<T>) => {
    label = name;
    return fn();
  };

  try {
    const first = await run("rooms: first page (?limit=50)", () => listRoomsForUser({ userId: input.userId, limit: 50 }));
    const second = await run("rooms: next page (?limit=50&cursor=…)", () =>
      listRoomsForUser({ userId: input.userId, limit: 50, cursor: first.next }),
    );
    await run("rooms: previous page (?limit=50&cursor=<prev>)", () =>
      listRoomsForUser({ userId: input.userId, limit: 50, cursor: second.prev }),
    );
    await run("rooms: all (no limit)", () => listRoomsForUser({ userId: input.userId }));
    for (const q of input.searchTerms) {
      await run(`rooms: search (?q=${q})`, () => listRoomsForUser({ userId: input.userId, q }));
    }
    // A typical account (3 rooms): the same queries where the caller owns a sliver of the table.
    await run("typical user: rooms first page (?limit=50)", () => listRoomsForUser({ userId: input.typicalUserId, limit: 50 }));
    for (const q of input.searchTerms) {
      await run(`typical user: search (?q=${q})`, () => listRoomsForUser({ userId: input.typicalUserId, q }));
    }
    for (const room of input.bigRooms) {
      await run(`logs: ?limit=50&before=<middle> (${room.logs} logs)`, () =>
        listLogsForRoom({ roomId: room.roomId, userId: input.userId, limit: 50, before: room.middleLogId }),
      );
    }
  } finally {
    await client.end();
  }
  process.stdout.write(`${CAPTURE_MARKER}${JSON.stringify(captured)}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
