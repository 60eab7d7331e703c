import "server-only";
import { inArray, lte, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { historyPurges } from "@/db/schema";
import { logger } from "@/lib/log";
import { getHistoryStore } from "./index";

/**
 * Deleting a room must never leave its history behind (docs/history.md). The purge is recorded
 * in the delete's own transaction (`recordHistoryPurge`), carried out right after the commit
 * (`purgeHistory`), and retried by `startPurgeWorker` until the store confirms it.
 */
export async function recordHistoryPurge(tx: Db, roomIds: number[]) {
  if (roomIds.length === 0) return;
  await tx
    .insert(historyPurges)
    .values(roomIds.map((roomId) => ({ roomId })))
    .onConflictDoNothing();
}

const outbox = globalThis as unknown as { __ainfoPurgesMayBePending?: boolean };

/**
 * Whether some purge may still be waiting (one failed in this process, or the worker last saw
 * pending ones, in any instance's outbox). Almost always false: then a turn trusts the history
 * store without asking Postgres; while true, it checks its room's purge first (lib/chat/turn.ts).
 */
export function purgesMayBePending(): boolean {
  return outbox.__ainfoPurgesMayBePending === true;
}

/** Clears the rooms' histories; on failure they stay recorded and are retried with backoff. */
export async function purgeHistory(roomIds: number[]): Promise<boolean> {
  if (roomIds.length === 0) return true;
  const db = await getDb();
  try {
    await getHistoryStore().clear(roomIds);
  } catch (error) {
    outbox.__ainfoPurgesMayBePending = true;
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(historyPurges)
      .set({
        attempts: sql`${historyPurges.attempts} + 1`,
        lastError: message.slice(0, 500),
        // 1 s, 2 s, 4 s … capped at 1 min.
        nextAttemptAt: sql`now() + least(interval '1 second' * power(2, ${historyPurges.attempts}), interval '60 seconds')`,
      })
      .where(inArray(historyPurges.roomId, roomIds));
    return false;
  }
  await db.delete(historyPurges).where(inArray(historyPurges.roomId, roomIds));
  return true;
}

/** Carries out every purge that is due. Returns how many are still pending. */
export async function retryPendingPurges(batchSize = 100): Promise<number> {
  const db = await getDb();
  const due = await db
    .select({ roomId: historyPurges.roomId })
    .from(historyPurges)
    .where(lte(historyPurges.nextAttemptAt, sql`now()`))
    .limit(batchSize);
  if (due.length > 0) await purgeHistory(due.map((row) => row.roomId));
  return countPendingPurges();
}

/** Purges recorded and not yet confirmed by the store (the `ainfo_history_purges_pending` gauge). */
export async function countPendingPurges(): Promise<number> {
  const db = await getDb();
  const [pending] = await db.select({ count: sql<number>`count(*)::int` }).from(historyPurges);
  outbox.__ainfoPurgesMayBePending = (pending?.count ?? 0) > 0;
  return pending?.count ?? 0;
}

/** Pending purges of these rooms (for tests and diagnostics). */
export async function pendingPurges(roomIds: number[]) {
  const db = await getDb();
  return db
    .select()
    .from(historyPurges)
    .where(inArray(historyPurges.roomId, roomIds));
}

const worker = globalThis as unknown as { __ainfoPurgeWorker?: NodeJS.Timeout };

export function startPurgeWorker(intervalMs = 5_000) {
  if (worker.__ainfoPurgeWorker) return;
  let running = false;
  worker.__ainfoPurgeWorker = setInterval(() => {
    if (running) return;
    running = true;
    retryPendingPurges()
      .catch((error) => logger().warn({ err: error }, "history: purge retry failed"))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  worker.__ainfoPurgeWorker.unref();
}

export function stopPurgeWorker() {
  clearInterval(worker.__ainfoPurgeWorker);
  worker.__ainfoPurgeWorker = undefined;
}
