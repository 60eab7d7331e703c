import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "./schema";

/** Either driver's database, or a transaction on it: both expose the same query builder. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

type Connection = { db: Db; driver: "postgres" | "pglite"; close: () => Promise<void> };

// One connection (pool) per process, kept on globalThis so Next's dev reloads reuse it.
const globalStore = globalThis as unknown as { __ainfoDb?: Promise<Connection> };

/** The database, connected and migrated on first use (docs/data-model.md#migrations: migrations run at start). */
export async function getDb(): Promise<Db> {
  return (await connection()).db;
}

export function connection(): Promise<Connection> {
  globalStore.__ainfoDb ??= connect().catch((error) => {
    globalStore.__ainfoDb = undefined; // let the next request try again
    throw error;
  });
  return globalStore.__ainfoDb;
}

/** Closes the pool; the next getDb() reconnects. Used by tests and scripts. */
export async function closeDb() {
  const current = globalStore.__ainfoDb;
  globalStore.__ainfoDb = undefined;
  if (current) await (await current).close();
}

async function connect(): Promise<Connection> {
  const config = env();
  if (config.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migratePostgres } = await import("./migrate");
    const client = postgres(config.DATABASE_URL, {
      max: config.DB_POOL_MAX,
      connect_timeout: 10,
      idle_timeout: 60,
      onnotice: () => {},
      connection: {
        TimeZone: "UTC",
        statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
        // Our queries are short index lookups; JIT compiling them (search's high estimates
        // trigger it) cost 7–17 ms per request in the bench.
        jit: "off",
        application_name: "ainfo-chat",
      },
    });
    await migratePostgres(client);
    return {
      db: drizzle(client, { schema }) as unknown as Db,
      driver: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migratePglite } = await import("./migrate");
  const dir = path.resolve(config.DATA_DIR, "pglite");
  fs.mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, {
    extensions: { pg_trgm },
    // Postgres's default 128 MB of shared buffers lives inside PGlite's WebAssembly memory,
    // which never shrinks: it was most of the embedded server's ~500 MB. One local user
    // needs far less (README, "What the embedded default costs").
    startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB", "-c", "work_mem=4MB"],
  });
  await client.exec("SET TIME ZONE 'UTC'");
  await migratePglite(client);
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    driver: "pglite",
    close: () => client.close(),
  };
}
