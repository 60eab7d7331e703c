import { upstashClient } from "@/lib/redis";
import { createScriptedStore } from "./scripted-store";
import type { ReplyStore, ReplyStoreOptions } from "./store";

/**
 * The reply store on Upstash's REST API. REST has no blocking read (each XREAD BLOCK would
 * hold an HTTP request open, and Upstash bills per command), so a follower on another
 * instance polls the reply's stream every `pollMs` (one EVAL of XRANGE per poll): deltas
 * arrive in batches up to that much later. Followers on the instance that runs the reply
 * are fed in-process, without Upstash.
 */
export function createUpstashReplyStore(url: string, token: string, options: ReplyStoreOptions): ReplyStore {
  const redis = upstashClient(url, token, { timeoutMs: options.timeoutMs, retries: 2, automaticDeserialization: false });
  return createScriptedStore("upstash", (script, keys, args) => redis.eval(script, keys, args.map(String)), {
    ...options,
    pollMs: 250,
  });
}
