import { env } from "@/lib/env";
import { metrics } from "@/lib/metrics";
import { createMemoryStore } from "./memory-store";
import { createRedisStore } from "./redis-store";
import type { HistoryStore } from "./store";
import { createUpstashStore } from "./upstash-store";

export type { HistoryMessage, HistoryStore } from "./store";

const globalStore = globalThis as unknown as { __ainfoHistory?: HistoryStore };

/** The configured backend (docs/configuration.md#embedded-defaults): Upstash REST, else TCP Redis, else in-process. */
export function getHistoryStore(): HistoryStore {
  globalStore.__ainfoHistory ??= countingErrors(createConfiguredStore());
  return globalStore.__ainfoHistory;
}

function createConfiguredStore(): HistoryStore {
  const config = env();
  const options = {
    keyPrefix: config.HISTORY_KEY_PREFIX,
    ttlSeconds: config.HISTORY_TTL_SECONDS,
    timeoutMs: config.REDIS_TIMEOUT_MS,
  };
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    return createUpstashStore(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN, options);
  }
  if (config.REDIS_URL) return createRedisStore(config.REDIS_URL, options);
  return createMemoryStore(options);
}

/**
 * Every failed store call counts in `ainfo_history_store_errors_total{operation}`. Other
 * members pass through unchanged (the stores are plain objects of closures).
 */
function countingErrors(store: HistoryStore): HistoryStore {
  const counted =
    <A extends unknown[], R>(operation: "append" | "readLast" | "clear", call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        metrics().historyStoreErrors.inc({ operation });
        throw error;
      }
    };
  return {
    ...store,
    append: counted("append", store.append.bind(store)),
    readLast: counted("readLast", store.readLast.bind(store)),
    clear: counted("clear", store.clear.bind(store)),
  };
}

export async function closeHistoryStore() {
  const store = globalStore.__ainfoHistory;
  globalStore.__ainfoHistory = undefined;
  await store?.close();
}
