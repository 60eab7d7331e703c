import { createClient } from "redis";
import { logger } from "@/lib/log";
import { fromRedisList, toStoredMessage } from "./langchain-format";
import { historyKey, type HistoryStore, type HistoryStoreOptions } from "./store";

/**
 * History in a TCP Redis (node-redis). Commands fail fast instead of queueing while Redis
 * is down (no offline queue) and each one is bounded by `timeoutMs` (docs/security.md).
 */
export function createRedisStore(url: string, options: HistoryStoreOptions): HistoryStore {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.timeoutMs,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
  let lastLogged = 0;
  client.on("error", (error: Error) => {
    // node-redis reports every failed reconnect; one line every 30 s is enough.
    if (Date.now() - lastLogged > 30_000) {
      lastLogged = Date.now();
      logger().warn({ err: error }, "history: Redis unavailable");
    }
  });
  const connecting = client.connect().catch(() => undefined);

  const bounded = async () => {
    // Wait briefly for the first connection, never longer than a command may take.
    if (!client.isReady) await Promise.race([connecting, sleep(Math.min(options.timeoutMs, 500))]);
    return client.withAbortSignal(AbortSignal.timeout(options.timeoutMs));
  };
  const key = (roomId: number) => historyKey(options.keyPrefix, roomId);

  return {
    kind: "redis",
    async append(roomId, messages) {
      if (messages.length === 0) return;
      const redis = await bounded();
      // MULTI ignores both the disabled offline queue and the abort signal: never queue one
      // while disconnected (it would run later, after a purge), and bound the wait for it.
      if (!client.isReady) throw new Error("Redis is not connected.");
      await withTimeout(
        redis
          .multi()
          .lPush(key(roomId), messages.map(toStoredMessage))
          .expire(key(roomId), options.ttlSeconds)
          .exec(),
        options.timeoutMs,
      );
    },
    async readLast(roomId, count) {
      const redis = await bounded();
      return fromRedisList(await redis.lRange(key(roomId), 0, count - 1));
    },
    async clear(roomIds) {
      if (roomIds.length === 0) return;
      const redis = await bounded();
      await redis.del(roomIds.map(key));
    },
    async close() {
      // Never wait for a connection that may never come (Redis down since start-up):
      // destroying the client ends its reconnect loop, and `connecting` settles on its own.
      if (client.isOpen) client.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
