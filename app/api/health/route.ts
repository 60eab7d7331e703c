import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { getHistoryStore } from "@/lib/history";
import { drainingReason } from "@/lib/shutdown";

export const dynamic = "force-dynamic";

/** Readiness for load balancers: 200 when Postgres answers, 503 when it does not or this instance is shutting down. */
export async function GET() {
  const draining = drainingReason();
  if (draining) return Response.json({ status: "draining", detail: draining }, { status: 503 });
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok", history: getHistoryStore().kind });
  } catch {
    return Response.json({ status: "unavailable", detail: "The database is unavailable." }, { status: 503 });
  }
}
