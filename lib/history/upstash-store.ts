import { upstashClient } from "@/lib/redis";
import { fromRedisList, toStoredMessage } from "./langchain-format";
import { historyKey, type HistoryStore, type HistoryStoreOptions } from "./store";

/**
 * History in Upstash Redis over its REST API. The client's default retries (~12 s in all)
 * are cut to two quick ones and every request is bounded by `timeoutMs` (docs/security.md).
 */
export function createUpstashStore(url: string, token: string, options: HistoryStoreOptions): HistoryStore {
  // We store LangChain's JSON strings verbatim and parse them ourselves.
  const redis = upstashClient(url, token, { timeoutMs: options.timeoutMs, retries: 2, automaticDeserialization: false });
  const key = (roomId: number) => historyKey(options.keyPrefix, roomId);

  return {
    kind: "upstash",
    async append(roomId, messages) {
      if (messages.length === 0) return;
      const [first, ...rest] = messages.map(toStoredMessage);
      await redis
        .multi()
        .lpush(key(roomId), first!, ...rest)
        .expire(key(roomId), options.ttlSeconds)
        .exec();
    },
    async readLast(roomId, count) {
      return fromRedisList(await redis.lrange<string>(key(roomId), 0, count - 1));
    },
    async clear(roomIds) {
      if (roomIds.length === 0) return;
      await redis.del(...roomIds.map(key));
    },
    async close() {},
  };
}
