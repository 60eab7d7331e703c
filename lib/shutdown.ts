import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { closeHistoryStore } from "@/lib/history";
import { stopPurgeWorker } from "@/lib/history/purge";
import { logger } from "@/lib/log";
import { closeReplyStores } from "@/lib/replies";
import { liveReplies } from "@/lib/replies/live-reply";

/**
 * Graceful shutdown (README "Deploy"): on SIGTERM an instance stops being ready
 * (`/api/health` → 503 with the reason), refuses new turns (503 + `Retry-After`: another
 * instance takes them), lets the replies it is writing finish — up to SHUTDOWN_GRACE_MS, then
 * stops them, and a stopped reply is saved as stopped — stops the purge worker, closes its
 * pools and exits 0. Requests that are not turns are still answered while it drains.
 */
type State = { draining?: { reason: string }; turns: number; streams: number };
const state = ((globalThis as unknown as { __ainfoShutdown?: State }).__ainfoShutdown ??= { turns: 0, streams: 0 });

/** Why this instance is going away, or undefined while it is serving. */
export const drainingReason = () => state.draining?.reason;

/** Counts a turn accepted by this instance until it is over (waiting for its room, or replying). */
export function trackTurn(turn: Promise<unknown>) {
  state.turns += 1;
  void turn.finally(() => {
    state.turns -= 1;
  });
}

/**
 * Counts a reply stream (SSE) this instance is writing to a client; the returned function
 * says it has ended. The drain waits for them too, so no follower loses a reply's end.
 */
export function trackStream(): () => void {
  state.streams += 1;
  let open = true;
  return () => {
    if (open) state.streams -= 1;
    open = false;
  };
}

/** How long a stopped reply may take to be saved before the process exits anyway. */
const SAVE_STOPPED_MS = 10_000;

export function handleShutdownSignals() {
  if (process.env.NODE_ENV !== "production") return; // `next dev` restarts on its own terms
  // `next start` closes the server on SIGTERM and exits 143 once responses in flight are
  // done; replies are not responses (they outlive their request), so this drain replaces it.
  process.removeAllListeners("SIGTERM");
  process.once("SIGTERM", () => void drain("SIGTERM"));
}

async function drain(signal: string) {
  state.draining = { reason: `Shutting down (${signal}).` };
  const graceMs = env().SHUTDOWN_GRACE_MS;
  logger().info({ turns: state.turns, graceMs }, "shutdown: draining");
  stopPurgeWorker();
  const started = Date.now();
  let stopping = false;
  while (state.turns > 0 || state.streams > 0) {
    const waited = Date.now() - started;
    if (!stopping && waited >= graceMs) {
      stopping = true;
      logger().warn({ replies: liveReplies.size }, "shutdown: grace period over, stopping replies in progress");
      for (const reply of liveReplies.values()) reply.abort.abort();
    }
    if (waited >= graceMs + SAVE_STOPPED_MS) {
      logger().error({ turns: state.turns, streams: state.streams }, "shutdown: still running, exiting anyway");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The last bytes of each stream are still on their way out of Node's buffers.
  await new Promise((resolve) => setTimeout(resolve, 250));
  await Promise.allSettled([closeHistoryStore(), closeReplyStores(), closeDb()]);
  logger().info({ ms: Date.now() - started }, "shutdown: done");
  process.exit(0);
}
