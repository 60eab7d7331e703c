import type { LogJson, RoomJson } from "@/lib/serializers";

/**
 * What a reply in progress tells its followers (docs/chat-turn.md#replies-that-outlive-the-request), in order: `user` once the
 * message is stored, `delta`s, maybe `title`, then exactly one of `done` (the bot Log; null
 * when stopped before anything was said) or `error`.
 */
export type ReplyEvent =
  | { type: "user"; log: LogJson }
  | { type: "delta"; text: string }
  | { type: "title"; room: RoomJson }
  | { type: "done"; log: LogJson | null }
  | { type: "error"; detail: string; status: number };

export const isTerminal = (event: ReplyEvent) => event.type === "done" || event.type === "error";

/**
 * The shared state that lets any instance take part in any room's replies (docs/chat-turn.md#replies-that-outlive-the-request):
 * a fair per-room turn queue with a leased lock, per-user reply slots with leases, a
 * per-reply event log (the relay), stop flags, and small expiring values (idempotency
 * records). Three backends: in-process (one process), TCP Redis and Upstash REST.
 *
 * Every lease is renewed by its holder while it works; a process that dies stops renewing,
 * so what it held frees itself when the lease runs out.
 */
export interface ReplyStore {
  readonly kind: "memory" | "redis" | "upstash";
  /** How often a waiter should retry `tryTakeTurn` and a follower poll without blocking. */
  readonly pollMs: number;

  /**
   * Joins the room's queue (once; later calls refresh the waiter's lease) and takes the
   * room's turn if it is free and `token` is first in line among live waiters.
   */
  tryTakeTurn(roomId: number, token: string, leaseMs: number): Promise<boolean>;
  /** Extends the turn's lease; false if it was lost (expired and taken over). */
  renewTurn(roomId: number, token: string, leaseMs: number): Promise<boolean>;
  /** Gives the turn back, or leaves the queue if it was still waiting. */
  releaseTurn(roomId: number, token: string): Promise<void>;
  /** The token (reply id) holding the room's turn, if any. */
  currentTurn(roomId: number): Promise<string | undefined>;

  /** Takes (or renews) one of at most `limit` slots of `userId`; false when all are taken. */
  takeSlot(userId: number, token: string, limit: number, leaseMs: number): Promise<boolean>;
  releaseSlot(userId: number, token: string): Promise<void>;

  /** Appends events to the reply's log, which expires `ttlMs` after the last append. */
  publish(replyId: string, events: ReplyEvent[], ttlMs: number): Promise<void>;
  /**
   * Events after `cursor` ("0" = from the start), waiting up to `waitMs` for the first one
   * when there is none yet (backends that cannot block return at once).
   */
  read(replyId: string, cursor: string, waitMs: number): Promise<{ cursor: string; events: ReplyEvent[] }>;
  requestStop(replyId: string, ttlMs: number): Promise<void>;
  isStopRequested(replyId: string): Promise<boolean>;

  /** Sets `key` only if it has no value; true when set. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;

  close(): Promise<void>;
}

export type ReplyStoreOptions = { keyPrefix: string; timeoutMs: number };

/**
 * The Redis keys, all under one prefix. A room's keys share a hash tag (`{r42}`) and a
 * reply's keys another, so the multi-key scripts also work on a Redis Cluster.
 */
export function replyKeys(prefix: string) {
  return {
    lock: (roomId: number) => `${prefix}room:{r${roomId}}:turn`,
    queue: (roomId: number) => `${prefix}room:{r${roomId}}:queue`,
    alive: (roomId: number) => `${prefix}room:{r${roomId}}:waiters`,
    seq: (roomId: number) => `${prefix}room:{r${roomId}}:seq`,
    slots: (userId: number) => `${prefix}user:{u${userId}}:slots`,
    events: (replyId: string) => `${prefix}reply:{${replyId}}:events`,
    stop: (replyId: string) => `${prefix}reply:{${replyId}}:stop`,
    value: (key: string) => `${prefix}kv:${key}`,
  };
}
