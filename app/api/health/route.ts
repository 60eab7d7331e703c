import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { getHistoryStore } from "@/lib/history";

export const dynamic = "force-dynamic";

/** Liveness and readiness for load balancers: 200 when Postgres answers, else 503. */
export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", history: getHistoryStore().kind });
  } catch {
    return Response.json({ status: "unavailable", detail: "The database is unavailable." }, { status: 503 });
  }
}
