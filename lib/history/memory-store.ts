import type { HistoryMessage, HistoryStore, HistoryStoreOptions } from "./store";

/**
 * In-process history for `npm run dev` with no Redis configured. Single process only:
 * a second instance would not see it, and it is empty after a restart (the chat turn then
 * rebuilds the context from Postgres).
 */
export function createMemoryStore(options: Pick<HistoryStoreOptions, "ttlSeconds">): HistoryStore {
  const rooms = new Map<number, { messages: HistoryMessage[]; expiresAt: number }>();

  const live = (roomId: number) => {
    const entry = rooms.get(roomId);
    if (entry && entry.expiresAt <= Date.now()) {
      rooms.delete(roomId);
      return undefined;
    }
    return entry;
  };

  return {
    kind: "memory",
    async append(roomId, messages) {
      const entry = live(roomId) ?? { messages: [], expiresAt: 0 };
      entry.messages.push(...messages.map((m) => ({ ...m })));
      entry.expiresAt = Date.now() + options.ttlSeconds * 1000;
      rooms.set(roomId, entry);
    },
    async readLast(roomId, count) {
      const messages = live(roomId)?.messages ?? [];
      return messages.slice(Math.max(0, messages.length - count)).map((m) => ({ ...m }));
    },
    async clear(roomIds) {
      for (const id of roomIds) rooms.delete(id);
    },
    async close() {
      rooms.clear();
    },
  };
}
