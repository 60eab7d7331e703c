import { sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * A row's version: Postgres's `xmin`, the id of the transaction that wrote this row version.
 * Every UPDATE writes a new version, so it changes whenever the row does (docs/api.md#conditional-requests).
 */
export const rowVersion = (table: PgTable): SQL<string> => sql<string>`${table}.xmin::text`;
