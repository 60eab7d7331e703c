import { createClient } from "redis";

/** Deletes every key under `prefix` (the bench's own namespace: history and rate-limit keys). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  if (!prefix || prefix.includes("*")) throw new Error(`refusing to delete keys under "${prefix}"`);
  const client = createClient({ url: redisUrl });
  client.on("error", () => undefined);
  await client.connect();
  let deleted = 0;
  try {
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      const keys = (Array.isArray(batch) ? batch : [batch]) as string[];
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    await client.quit().catch(() => undefined);
  }
  return deleted;
}
