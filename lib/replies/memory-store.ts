import type { ReplyEvent, ReplyStore } from "./store";

/**
 * The reply store of a single process (no Redis configured): the same semantics as the
 * Redis one, in maps. Lost on restart, like the in-process history store; a reply that was
 * running then is gone with the process, and nothing waits for it.
 */
export function createMemoryReplyStore(): ReplyStore {
  const now = () => Date.now();
  type Waiter = { seq: number; expiresAt: number };
  const turns = new Map<number, { token: string; expiresAt: number }>();
  const queues = new Map<number, Map<string, Waiter>>();
  let seq = 0;
  const slots = new Map<number, Map<string, number>>();
  const logs = new Map<string, { events: ReplyEvent[]; expiresAt: number; wake: Set<() => void> }>();
  const stops = new Map<string, number>();
  const values = new Map<string, { value: string; expiresAt: number }>();

  const liveTurn = (roomId: number) => {
    const turn = turns.get(roomId);
    if (turn && turn.expiresAt <= now()) {
      turns.delete(roomId);
      return undefined;
    }
    return turn;
  };
  const liveValue = (key: string) => {
    const entry = values.get(key);
    if (entry && entry.expiresAt <= now()) {
      values.delete(key);
      return undefined;
    }
    return entry;
  };
  const liveLog = (replyId: string) => {
    const log = logs.get(replyId);
    if (log && log.expiresAt <= now()) {
      logs.delete(replyId);
      return undefined;
    }
    return log;
  };
  /** Expired entries are dropped as they are met; this bounds the rest. */
  const sweep = () => {
    const t = now();
    for (const [id, log] of logs) if (log.expiresAt <= t && log.wake.size === 0) logs.delete(id);
    for (const [key, entry] of values) if (entry.expiresAt <= t) values.delete(key);
    for (const [id, until] of stops) if (until <= t) stops.delete(id);
  };
  const sweeper = setInterval(sweep, 60_000);
  sweeper.unref?.();

  return {
    kind: "memory",
    pollMs: 50,

    async tryTakeTurn(roomId, token, leaseMs) {
      const t = now();
      if (liveTurn(roomId)?.token === token) return true;
      let queue = queues.get(roomId);
      if (!queue) queues.set(roomId, (queue = new Map()));
      const waiter = queue.get(token);
      if (waiter) waiter.expiresAt = t + leaseMs;
      else queue.set(token, { seq: ++seq, expiresAt: t + leaseMs });
      let head: [string, Waiter] | undefined;
      for (const entry of queue) {
        if (entry[1].expiresAt < t) queue.delete(entry[0]);
        else if (!head || entry[1].seq < head[1].seq) head = entry;
      }
      if (liveTurn(roomId) || head?.[0] !== token) return false;
      turns.set(roomId, { token, expiresAt: t + leaseMs });
      queue.delete(token);
      if (queue.size === 0) queues.delete(roomId);
      return true;
    },
    async renewTurn(roomId, token, leaseMs) {
      const turn = liveTurn(roomId);
      if (turn?.token !== token) return false;
      turn.expiresAt = now() + leaseMs;
      return true;
    },
    async releaseTurn(roomId, token) {
      if (turns.get(roomId)?.token === token) turns.delete(roomId);
      const queue = queues.get(roomId);
      queue?.delete(token);
      if (queue?.size === 0) queues.delete(roomId);
    },
    async currentTurn(roomId) {
      return liveTurn(roomId)?.token;
    },

    async takeSlot(userId, token, limit, leaseMs) {
      const t = now();
      let taken = slots.get(userId);
      if (!taken) slots.set(userId, (taken = new Map()));
      for (const [id, until] of taken) if (until <= t) taken.delete(id);
      if (!taken.has(token) && taken.size >= limit) return false;
      taken.set(token, t + leaseMs);
      return true;
    },
    async releaseSlot(userId, token) {
      const taken = slots.get(userId);
      taken?.delete(token);
      if (taken?.size === 0) slots.delete(userId);
    },

    async publish(replyId, events, ttlMs) {
      let log = liveLog(replyId);
      if (!log) logs.set(replyId, (log = { events: [], expiresAt: 0, wake: new Set() }));
      log.events.push(...events);
      log.expiresAt = now() + ttlMs;
      for (const wake of log.wake) wake();
    },
    async read(replyId, cursor, waitMs) {
      const from = Number(cursor) || 0;
      let log = liveLog(replyId);
      if ((!log || log.events.length <= from) && waitMs > 0) {
        if (!log) logs.set(replyId, (log = { events: [], expiresAt: now() + waitMs, wake: new Set() }));
        const waiting = log;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, waitMs);
          function done() {
            clearTimeout(timer);
            waiting.wake.delete(done);
            resolve();
          }
          waiting.wake.add(done);
        });
        log = liveLog(replyId);
      }
      const events = log?.events.slice(from) ?? [];
      return { cursor: String(from + events.length), events };
    },
    async requestStop(replyId, ttlMs) {
      stops.set(replyId, now() + ttlMs);
    },
    async isStopRequested(replyId) {
      return (stops.get(replyId) ?? 0) > now();
    },

    async setIfAbsent(key, value, ttlMs) {
      if (liveValue(key)) return false;
      values.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async set(key, value, ttlMs) {
      values.set(key, { value, expiresAt: now() + ttlMs });
    },
    async get(key) {
      return liveValue(key)?.value;
    },
    async delete(key) {
      values.delete(key);
    },

    async close() {
      clearInterval(sweeper);
    },
  };
}
