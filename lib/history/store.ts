import type { HistoryMessage } from "./langchain-format";

export type { HistoryMessage };

/**
 * The bot's multi-turn memory for a room (docs/history.md). Postgres is the source of truth;
 * this is a cache of the model's context that a LangChain worker could share.
 */
export interface HistoryStore {
  readonly kind: "upstash" | "redis" | "memory";
  /** Appends messages in order and refreshes the key's TTL, atomically. */
  append(roomId: number, messages: HistoryMessage[]): Promise<void>;
  /** The last `count` messages, oldest first. */
  readLast(roomId: number, count: number): Promise<HistoryMessage[]>;
  /** Deletes the rooms' histories. Resolves only once the store has confirmed it. */
  clear(roomIds: number[]): Promise<void>;
  close(): Promise<void>;
}

export type HistoryStoreOptions = {
  keyPrefix: string;
  ttlSeconds: number;
  timeoutMs: number;
};

export const historyKey = (prefix: string, roomId: number) => `${prefix}${roomId}`;
