import { createClient } from "redis";
import { createScriptedStore } from "./scripted-store";
import type { ReplyStore, ReplyStoreOptions } from "./store";

type Client = ReturnType<typeof createClient>;

/**
 * The reply store on a TCP Redis (node-redis). Followers wait with XREAD BLOCK, which holds
 * its connection for the wait: each blocking read borrows a connection of its own from a
 * small pool, so the shared client never stalls behind one.
 */
export function createRedisReplyStore(url: string, options: ReplyStoreOptions): ReplyStore {
  const socket = {
    connectTimeout: options.timeoutMs,
    reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
  };
  // As lib/history/redis-store.ts: fail fast while Redis is down, every command bounded.
  const client: Client = createClient({ url, disableOfflineQueue: true, socket });
  let lastLogged = 0;
  const logError = (error: Error) => {
    if (Date.now() - lastLogged > 30_000) {
      lastLogged = Date.now();
      console.warn(`[replies] Redis unavailable: ${error.message}`);
    }
  };
  client.on("error", logError);
  const connecting = client.connect().catch(() => undefined);

  const bounded = async () => {
    if (!client.isReady) await Promise.race([connecting, sleep(Math.min(options.timeoutMs, 500))]);
    return client.withAbortSignal(AbortSignal.timeout(options.timeoutMs));
  };

  const idle: Client[] = [];
  const readers = new Set<Client>();
  async function borrowReader(): Promise<Client> {
    const ready = idle.pop();
    if (ready?.isReady) return ready;
    ready?.destroy();
    const reader = client.duplicate({ disableOfflineQueue: true, socket }) as Client;
    reader.on("error", logError);
    readers.add(reader);
    try {
      await withTimeout(reader.connect(), options.timeoutMs);
    } catch (error) {
      readers.delete(reader);
      reader.destroy();
      throw error;
    }
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
        if (client.isOpen) client.destroy();
      },
    },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
