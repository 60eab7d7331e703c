import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
const MIGRATION_LOCK_ID = 727_274;

/**
 * Applies pending drizzle-kit migrations with postgres.js. A session-level advisory lock,
 * held on a reserved connection, keeps app instances that start together from racing.
 */
export async function migratePostgres(client: Sql) {
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => undefined);
    lock.release();
  }
}

/** PGlite has a single connection per process, so no lock is needed. */
export async function migratePglite(client: PGlite) {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
}
