import { Redis as UpstashRedis } from "@upstash/redis";
import { createClient } from "redis";
import { logger } from "@/lib/log";

/**
 * Redis connections for the history store, the rate limits and the reply store: one TCP
 * connection per process and URL, shared by all three, and one Upstash REST client setup.
 * Every outside call is bounded (docs/security.md#timeouts): commands fail fast while Redis is
 * down (no offline queue, so nothing runs late — after a purge, say) and each one has a
 * time-out; reconnects back off to 2 s.
 */
export type RedisClient = ReturnType<typeof createClient>;

export type RedisConnection = {
  /** The client, for commands that take no abort signal (MULTI, EVAL): check `ready` first. */
  readonly client: RedisClient;
  /** Whether commands can be sent now. */
  readonly ready: boolean;
  /** The client with a `timeoutMs` abort signal on each command, once connected (or not, after a short wait). */
  bounded(): Promise<RedisClient>;
  /** A connection of its own (blocking reads), with the same rules; the caller destroys it. */
  duplicate(): Promise<RedisClient>;
  /** Gives this user's share back; the connection closes when nobody uses it. */
  release(): void;
};

type Shared = { client: RedisClient; connecting: Promise<unknown>; users: number; timeoutMs: number };
const holder = globalThis as unknown as { __ainfoRedis?: Map<string, Shared> };
const connections = (holder.__ainfoRedis ??= new Map());

const socketOptions = (timeoutMs: number) => ({
  connectTimeout: timeoutMs,
  reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
});

/** node-redis reports every failed reconnect: one line every 30 s is enough. */
function logUnavailable() {
  let lastLogged = 0;
  return (error: Error) => {
    if (Date.now() - lastLogged < 30_000) return;
    lastLogged = Date.now();
    logger().warn({ err: error.message }, "redis: unavailable");
  };
}

export function connectRedis(url: string, timeoutMs: number): RedisConnection {
  let shared = connections.get(url);
  if (!shared) {
    const client: RedisClient = createClient({ url, disableOfflineQueue: true, socket: socketOptions(timeoutMs) });
    client.on("error", logUnavailable());
    shared = { client, connecting: client.connect().catch(() => undefined), users: 0, timeoutMs };
    connections.set(url, shared);
  }
  shared.users += 1;
  const { client, connecting } = shared;
  let released = false;
  return {
    client,
    get ready() {
      return client.isReady;
    },
    async bounded() {
      // Wait briefly for the first connection, never longer than a command may take.
      if (!client.isReady) await Promise.race([connecting, sleep(Math.min(timeoutMs, 500))]);
      return client.withAbortSignal(AbortSignal.timeout(timeoutMs));
    },
    async duplicate() {
      const own = client.duplicate({ disableOfflineQueue: true, socket: socketOptions(timeoutMs) }) as RedisClient;
      own.on("error", logUnavailable());
      try {
        await withTimeout(own.connect(), timeoutMs);
      } catch (error) {
        own.destroy();
        throw error;
      }
      return own;
    },
    release() {
      if (released) return;
      released = true;
      const entry = connections.get(url);
      if (!entry || entry.client !== client || --entry.users > 0) return;
      connections.delete(url);
      // Never wait for a connection that may never come: destroying ends the reconnect loop.
      if (client.isOpen) client.destroy();
    },
  };
}

/** An Upstash REST client whose default retries (~12 s in all) are cut and whose requests are bounded. */
export function upstashClient(url: string, token: string, options: { timeoutMs: number; retries: number; automaticDeserialization?: boolean }) {
  return new UpstashRedis({
    url,
    token,
    enableTelemetry: false,
    automaticDeserialization: options.automaticDeserialization ?? true,
    retry: { retries: options.retries, backoff: (attempt) => 50 * 2 ** attempt },
    signal: () => AbortSignal.timeout(options.timeoutMs),
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bounds what takes no abort signal (MULTI/EXEC, a connect). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
