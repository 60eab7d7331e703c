import postgres from "postgres";
import { afterAll, inject } from "vitest";

/**
 * Direct access to the suite's database, for seeding and for checking what the API stored.
 * Undefined on the embedded default (PGlite lives inside the server process); closed after the file.
 */
export function testDatabase() {
  const url = inject("databaseUrl");
  const sql = url ? postgres(url, { max: 2, onnotice: () => {} }) : undefined;
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
  });
  return sql;
}
