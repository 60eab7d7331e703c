import type { Db } from "./client";

/**
 * A query built once per database handle and run with placeholders (`sql.placeholder`):
 * drizzle then skips building the SQL on every request — the hot reads spent about a tenth
 * of their CPU there (bench/: a CPU profile of `next start` under load).
 */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let query = built.get(db);
    if (!query) built.set(db, (query = build(db)));
    return query;
  };
}
