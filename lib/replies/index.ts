import { env } from "@/lib/env";
import { createMemoryReplyStore } from "./memory-store";
import { createRedisReplyStore } from "./redis-store";
import type { ReplyStore } from "./store";
import { createUpstashReplyStore } from "./upstash-store";

export type { ReplyEvent, ReplyStore } from "./store";
export { isTerminal } from "./store";

type Stores = { local: ReplyStore; shared: ReplyStore | undefined };
const holder = globalThis as unknown as { __ainfoReplyStores?: Stores };

/**
 * This process's reply stores: `local` (always: the in-process order of a room's turns and
 * the fallback while Redis is unreachable) and `shared` (Upstash REST, else TCP Redis, when
 * configured: what makes the order, the slots and the live replies span every instance).
 */
export function replyStores(): Stores {
  if (holder.__ainfoReplyStores) return holder.__ainfoReplyStores;
  const config = env();
  const options = { keyPrefix: config.REPLY_KEY_PREFIX, timeoutMs: config.REDIS_TIMEOUT_MS };
  let shared: ReplyStore | undefined;
  try {
    if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
      shared = createUpstashReplyStore(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN, options);
    } else if (config.REDIS_URL) {
      shared = createRedisReplyStore(config.REDIS_URL, options);
    }
  } catch (error) {
    // A malformed URL must not fail every message: one process's order still holds.
    console.warn(`[replies] shared store unavailable, single-process order only: ${(error as Error).message}`);
  }
  return (holder.__ainfoReplyStores = { local: createMemoryReplyStore(), shared });
}

let lastWarned = 0;
export function warnShared(error: unknown) {
  if (Date.now() - lastWarned < 30_000) return;
  lastWarned = Date.now();
  console.warn(`[replies] Redis unavailable, this instance alone orders its replies: ${(error as Error)?.message ?? error}`);
}

/** Closes this process's reply stores (graceful shutdown); the next use opens new ones. */
export async function closeReplyStores() {
  const stores = holder.__ainfoReplyStores;
  holder.__ainfoReplyStores = undefined;
  await Promise.allSettled([stores?.local.close(), stores?.shared?.close()]);
}
