import { connectRedis, withTimeout } from "@/lib/redis";
import { fromRedisList, toStoredMessage } from "./langchain-format";
import { historyKey, type HistoryStore, type HistoryStoreOptions } from "./store";

/**
 * History in a TCP Redis (node-redis), on the process's shared connection (lib/redis.ts):
 * commands fail fast while Redis is down and each one is bounded by `timeoutMs`.
 */
export function createRedisStore(url: string, options: HistoryStoreOptions): HistoryStore {
  const redis = connectRedis(url, options.timeoutMs);
  const key = (roomId: number) => historyKey(options.keyPrefix, roomId);

  return {
    kind: "redis",
    async append(roomId, messages) {
      if (messages.length === 0) return;
      await redis.bounded();
      // MULTI ignores both the disabled offline queue and the abort signal: never queue one
      // while disconnected (it would run later, after a purge), and bound the wait for it.
      if (!redis.ready) throw new Error("Redis is not connected.");
      await withTimeout(
        redis.client
          .multi()
          .lPush(key(roomId), messages.map(toStoredMessage))
          .expire(key(roomId), options.ttlSeconds)
          .exec(),
        options.timeoutMs,
      );
    },
    async readLast(roomId, count) {
      return fromRedisList(await (await redis.bounded()).lRange(key(roomId), 0, count - 1));
    },
    async clear(roomIds) {
      if (roomIds.length === 0) return;
      await (await redis.bounded()).del(roomIds.map(key));
    },
    async close() {
      redis.release();
    },
  };
}
