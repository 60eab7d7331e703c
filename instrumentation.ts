/**
 * Runs once when a server process starts: records each request's socket address
 * (lib/peer-address.ts), fails fast on bad configuration, applies pending migrations
 * (docs/data-model.md#migrations) and starts the worker that retries history purges (docs/history.md).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, before the server takes requests: per-IP limits need each request's socket address.
  const { stampPeerAddresses } = await import("@/lib/peer-address");
  stampPeerAddresses();
  const { refuseToStartIfMisconfigured } = await import("@/lib/startup");
  refuseToStartIfMisconfigured();
  const { getDb } = await import("@/db/client");
  const { retryPendingPurges, startPurgeWorker } = await import("@/lib/history/purge");
  try {
    await getDb();
    await retryPendingPurges();
  } catch (error) {
    // The app still starts: requests answer 503 until the database is reachable.
    const { logger } = await import("@/lib/log");
    logger().error({ err: error }, "startup: database not ready");
  }
  startPurgeWorker();
  const { handleShutdownSignals } = await import("@/lib/shutdown");
  handleShutdownSignals();
}
