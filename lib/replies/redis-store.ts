import { connectRedis, withTimeout, type RedisClient } from "@/lib/redis";
import { createScriptedStore } from "./scripted-store";
import type { ReplyStore, ReplyStoreOptions } from "./store";

type Client = RedisClient;

/**
 * The reply store on a TCP Redis (node-redis). Followers wait with XREAD BLOCK, which holds
 * its connection for the wait: each blocking read borrows a connection of its own from a
 * small pool, so the shared client never stalls behind one.
 */
export function createRedisReplyStore(url: string, options: ReplyStoreOptions): ReplyStore {
  // The process's shared connection (lib/redis.ts): fail fast while Redis is down, every command bounded.
  const redis = connectRedis(url, options.timeoutMs);
  const bounded = () => redis.bounded();

  const idle: Client[] = [];
  const readers = new Set<Client>();
  async function borrowReader(): Promise<Client> {
    const ready = idle.pop();
    if (ready?.isReady) return ready;
    ready?.destroy();
    const reader = await redis.duplicate();
    readers.add(reader);
    return reader;
  }
  function giveBack(reader: Client) {
    if (idle.length < 4 && reader.isReady) idle.push(reader);
    else {
      readers.delete(reader);
      reader.destroy();
    }
  }

  return createScriptedStore(
    "redis",
    async (script, keys, args) => (await bounded()).eval(script, { keys, arguments: args.map(String) }),
    {
      ...options,
      pollMs: 100,
      async blockingRead(key, cursor, waitMs) {
        const reader = await borrowReader();
        let healthy = false;
        try {
          const reply = await withTimeout(
            reader.sendCommand(["XREAD", "COUNT", "1000", "BLOCK", String(waitMs), "STREAMS", key, cursor]),
            waitMs + options.timeoutMs,
          );
          healthy = true;
          // [[key, [[id, [field, value]], …]]], or null when the wait ran out.
          return Array.isArray(reply) ? (reply[0] as [string, unknown] | undefined)?.[1] : [];
        } finally {
          if (healthy) giveBack(reader);
          else {
            readers.delete(reader);
            reader.destroy(); // a read cut short may still be blocked server-side
          }
        }
      },
      async close() {
        for (const reader of readers) if (reader.isOpen) reader.destroy();
        readers.clear();
        idle.length = 0;
        redis.release();
      },
    },
  );
}
