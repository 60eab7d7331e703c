import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedFor } from "@/db/prepared";
import { apiTokens, users } from "@/db/schema";
import { TOKENS_PER_USER_MAX } from "@/lib/limits";
import { ApiError } from "@/lib/errors";

/** Personal API tokens (docs/api.md): random, shown once, stored only as a SHA-256 hash. */
const TOKEN_PREFIX = "ainfo_";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

/** docs/security.md: bounded everything, API tokens per user included. */
export const MAX_TOKENS_PER_USER = TOKENS_PER_USER_MAX;

/** A new token for the user; a 400 field error when the user already has the most allowed. */
export async function createApiToken(userId: number, name: string) {
  const db = await getDb();
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db.transaction(async (tx) => {
    // Lock the user: concurrent mints are counted one after another, never past the cap.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId));
    if (count >= MAX_TOKENS_PER_USER) {
      throw ApiError.validation({
        non_field_errors: [
          `You already have ${MAX_TOKENS_PER_USER} API tokens, the most allowed. Revoke one you no longer use, then create a new one.`,
        ],
      });
    }
    const [inserted] = await tx.insert(apiTokens).values({ userId, name, tokenHash: sha256(token) }).returning(tokenColumns);
    return inserted!;
  });
  return { ...row, token };
}

export async function listApiTokens(userId: number) {
  const db = await getDb();
  return db
    .select(tokenColumns)
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes one of the user's tokens; false when it does not exist or is someone else's. */
export async function deleteApiToken(userId: number, tokenId: number) {
  const db = await getDb();
  const deleted = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return deleted.length > 0;
}

/**
 * Who is asking, as a query can take it: a session's user id, or the hash of a bearer token
 * not looked up yet (a keyed read resolves it in its own statement: lib/api/handler.ts).
 */
export type CallerKey = { userId: number } | { tokenHash: string };

/** The stored hash of a token that could be one of ours; undefined for one that cannot (no query needed). */
export function apiTokenHash(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  return sha256(token);
}

/** `last_used_at` is written at most once a minute: a busy client costs no write per request. */
const staleUse = sql<boolean>`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`;

/**
 * The caller as a one-row SQL source `(user_id, token_id, stale)` for a CallerKey given as
 * placeholders: `tokenHash`'s token (no row when there is none), or `userId`.
 */
export function callerSource(by: "token" | "user") {
  return by === "token"
    ? sql`(select ${apiTokens.userId} as user_id, ${apiTokens.id} as token_id, ${staleUse} as stale
        from ${apiTokens} where ${apiTokens.tokenHash} = ${sql.placeholder("tokenHash")})`
    : sql`(select ${sql.placeholder("userId")}::bigint as user_id, null::bigint as token_id, false as stale)`;
}

/** Records that a token was used, unless that was recorded less than a minute ago. */
export async function touchApiToken(tokenId: number, db?: Db) {
  db ??= await getDb();
  await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(and(eq(apiTokens.id, tokenId), staleUse));
}

/** The token and its user, in one prepared query (every API request runs it). */
const tokenLookup = preparedFor((db) =>
  db
    .select({
      tokenId: apiTokens.id,
      tokenHash: apiTokens.tokenHash,
      // Decided in the same query, so a busy client costs one statement, not two.
      stale: staleUse,
      user: users,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")))
    .limit(1)
    .prepare("api_token_lookup"),
);

/**
 * The user a bearer token belongs to, or undefined. The lookup is by hash, and the hash
 * found is compared again in constant time.
 */
export async function authenticateApiToken(token: string) {
  const hash = apiTokenHash(token);
  if (!hash) return undefined;
  const db = await getDb();
  const [row] = await tokenLookup(db).execute({ hash });
  if (!row || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return undefined;
  if (row.stale) await touchApiToken(row.tokenId, db);
  return row.user;
}
