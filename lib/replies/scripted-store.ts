import { replyKeys, type ReplyEvent, type ReplyStore, type ReplyStoreOptions } from "./store";

/**
 * The Redis logic of the reply store, shared by the TCP (node-redis) and REST (Upstash)
 * clients: every operation that reads and writes is one Lua script, so it is atomic and
 * costs one round trip (one HTTP request on Upstash). Times come from Redis's own clock
 * (TIME), so instances with skewed clocks still agree on who is alive.
 */
export type ScriptRunner = (script: string, keys: string[], args: (string | number)[]) => Promise<unknown>;

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: turn, queue, waiters, seq · ARGV: token, leaseMs → 1 when the token holds the turn. */
const TAKE_TURN = `${NOW}
local token, lease = ARGV[1], tonumber(ARGV[2])
if redis.call('GET', KEYS[1]) == token then return 1 end
if not redis.call('ZSCORE', KEYS[2], token) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), token)
end
redis.call('HSET', KEYS[3], token, now + lease)
for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], lease * 3) end
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not head then break end
  if tonumber(redis.call('HGET', KEYS[3], head) or '0') >= now then break end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('ZRANGE', KEYS[2], 0, 0)[1] ~= token then return 0 end
redis.call('SET', KEYS[1], token, 'PX', lease)
redis.call('ZREM', KEYS[2], token)
redis.call('HDEL', KEYS[3], token)
return 1`;

/** KEYS: turn · ARGV: token, leaseMs */
const RENEW_TURN = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** KEYS: turn, queue, waiters · ARGV: token */
const RELEASE_TURN = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1`;

/** KEYS: slots · ARGV: token, limit, leaseMs → 1 when the token holds a slot. */
const TAKE_SLOT = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1`;

/** KEYS: events · ARGV: ttlMs, event… */
const PUBLISH = `for i = 2, #ARGV do redis.call('XADD', KEYS[1], '*', 'e', ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

/** KEYS: events · ARGV: exclusive start id ("0" = all) → [[id, [field, value]], …] */
const RANGE = `return redis.call('XRANGE', KEYS[1], ARGV[1] == '0' and '-' or '(' .. ARGV[1], '+', 'COUNT', 1000)`;

/** KEYS: key · ARGV: value, ttlMs, NX flag */
const SET_VALUE = `if ARGV[3] == '1' then
  return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') and 1 or 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

type Entry = [string, string[]];

export function parseEntries(raw: unknown): { cursor: string | undefined; events: ReplyEvent[] } {
  const entries = (Array.isArray(raw) ? raw : []) as Entry[];
  const events: ReplyEvent[] = [];
  let cursor: string | undefined;
  for (const [id, fields] of entries) {
    cursor = id;
    const at = fields.indexOf("e");
    if (at >= 0 && fields[at + 1] !== undefined) events.push(JSON.parse(fields[at + 1]!) as ReplyEvent);
  }
  return { cursor, events };
}

export function createScriptedStore(
  kind: "redis" | "upstash",
  run: ScriptRunner,
  options: ReplyStoreOptions & {
    pollMs: number;
    /** A blocking read (XREAD BLOCK) when the client can do one; else reads are polled. */
    blockingRead?: (key: string, cursor: string, waitMs: number) => Promise<unknown>;
    close?: () => Promise<void>;
  },
): ReplyStore {
  const keys = replyKeys(options.keyPrefix);
  const yes = (value: unknown) => Number(value) === 1;

  return {
    kind,
    pollMs: options.pollMs,

    async tryTakeTurn(roomId, token, leaseMs) {
      return yes(
        await run(TAKE_TURN, [keys.lock(roomId), keys.queue(roomId), keys.alive(roomId), keys.seq(roomId)], [token, leaseMs]),
      );
    },
    async renewTurn(roomId, token, leaseMs) {
      return yes(await run(RENEW_TURN, [keys.lock(roomId)], [token, leaseMs]));
    },
    async releaseTurn(roomId, token) {
      await run(RELEASE_TURN, [keys.lock(roomId), keys.queue(roomId), keys.alive(roomId)], [token]);
    },
    async currentTurn(roomId) {
      const value = await run(`return redis.call('GET', KEYS[1])`, [keys.lock(roomId)], []);
      return typeof value === "string" && value ? value : undefined;
    },

    async takeSlot(userId, token, limit, leaseMs) {
      return yes(await run(TAKE_SLOT, [keys.slots(userId)], [token, limit, leaseMs]));
    },
    async releaseSlot(userId, token) {
      await run(`return redis.call('ZREM', KEYS[1], ARGV[1])`, [keys.slots(userId)], [token]);
    },

    async publish(replyId, events, ttlMs) {
      if (events.length === 0) return;
      await run(PUBLISH, [keys.events(replyId)], [ttlMs, ...events.map((e) => JSON.stringify(e))]);
    },
    async read(replyId, cursor, waitMs) {
      const key = keys.events(replyId);
      let parsed = parseEntries(await run(RANGE, [key], [cursor]));
      if (parsed.events.length === 0 && waitMs > 0 && options.blockingRead) {
        parsed = parseEntries(await options.blockingRead(key, cursor, waitMs));
      }
      return { cursor: parsed.cursor ?? cursor, events: parsed.events };
    },
    async requestStop(replyId, ttlMs) {
      await run(SET_VALUE, [keys.stop(replyId)], ["1", ttlMs, "0"]);
    },
    async isStopRequested(replyId) {
      return yes(await run(`return redis.call('EXISTS', KEYS[1])`, [keys.stop(replyId)], []));
    },

    async setIfAbsent(key, value, ttlMs) {
      return yes(await run(SET_VALUE, [keys.value(key)], [value, ttlMs, "1"]));
    },
    async set(key, value, ttlMs) {
      await run(SET_VALUE, [keys.value(key)], [value, ttlMs, "0"]);
    },
    async get(key) {
      const value = await run(`return redis.call('GET', KEYS[1])`, [keys.value(key)], []);
      return typeof value === "string" ? value : undefined;
    },
    async delete(key) {
      await run(`return redis.call('DEL', KEYS[1])`, [keys.value(key)], []);
    },

    async close() {
      await options.close?.();
    },
  };
}
