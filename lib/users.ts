import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { accounts, apiTokens, chatRooms, users, type User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { checkAccountPassword } from "@/lib/auth/password-attempts";
import { ApiError } from "@/lib/errors";
import { purgeHistory, recordHistoryPurge } from "@/lib/history/purge";

export type PublicUser = Pick<User, "id" | "email" | "name">;

const publicColumns = { id: users.id, email: users.email, name: users.name };

export async function getUserByEmail(email: string) {
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return user;
}

export async function getUserById(id: number) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** Emails are unique case-insensitively; a taken one is a DRF-shaped field error. */
export async function createUser(input: { email: string; password: string; name?: string }): Promise<PublicUser> {
  const db = await getDb();
  const passwordHash = await hashPassword(input.password);
  const [user] = await db
    .insert(users)
    .values({ email: input.email, name: input.name ?? "", passwordHash })
    .onConflictDoNothing()
    .returning(publicColumns);
  if (!user) throw ApiError.validation({ email: ["A user with that email already exists."] });
  return user;
}

/**
 * The user for these credentials, or undefined. Takes as long either way. Counts toward the
 * account's failed-password limit (throws 429 past it, 503 when argon2 is saturated).
 */
export async function authenticateUser(email: string, password: string) {
  const user = await getUserByEmail(email);
  const ok = await checkAccountPassword(email, user?.passwordHash, password);
  return ok ? user : undefined;
}

/** The user's own password, checked under the same per-account failure limit. */
export async function confirmPassword(user: Pick<User, "email" | "passwordHash">, password: string) {
  return checkAccountPassword(user.email, user.passwordHash, password);
}

export type OAuthSignIn =
  | { ok: true; user: User }
  | { ok: false; reason: "not_linked" | "unverified" | "registration_closed" | "no_email" };

/**
 * Signs in with GitHub/Google (docs/security.md). An identity already linked signs in to its user.
 * Otherwise the provider's email decides, and only when the provider says it is verified:
 * - a user with that email and **no password** (made by another provider) gets it linked;
 * - a user with that email **and a password** is refused: whoever registered it may not be
 *   the email's owner (account pre-takeover), so an OAuth sign-in never lands in it;
 * - no such user: a new one without a password, unless registration is closed.
 * An unverified email is never linked and never creates an account (else it could be
 * linked later, by a verified sign-in of the email's real owner).
 */
export async function findOrCreateOAuthUser(input: {
  provider: string;
  providerAccountId: string;
  email: string | null | undefined;
  emailVerified: boolean;
  name?: string | null;
  allowRegistration: boolean;
}): Promise<OAuthSignIn> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<OAuthSignIn> => {
    const [linked] = await tx
      .select({ user: users })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.userId))
      .where(and(eq(accounts.provider, input.provider), eq(accounts.providerAccountId, input.providerAccountId)));
    if (linked) return { ok: true, user: linked.user };
    const email = input.email?.trim() ?? "";
    if (!email || email.length > 254) return { ok: false, reason: "no_email" };
    if (!input.emailVerified) return { ok: false, reason: "unverified" };
    let [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`)
      .for("update");
    if (user) {
      if (user.passwordHash !== null) return { ok: false, reason: "not_linked" };
    } else {
      if (!input.allowRegistration) return { ok: false, reason: "registration_closed" };
      [user] = await tx
        .insert(users)
        .values({ email, name: (input.name ?? "").slice(0, 100) })
        .onConflictDoNothing()
        .returning();
      // Registered with a password at this very moment: treat it as that account.
      if (!user) return { ok: false, reason: "not_linked" };
    }
    await tx
      .insert(accounts)
      .values({ userId: user.id, provider: input.provider, providerAccountId: input.providerAccountId })
      .onConflictDoNothing();
    return { ok: true, user };
  });
}

/** The user an OAuth identity is linked to, if any. */
export async function getUserByOAuthAccount(provider: string, providerAccountId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, provider), eq(accounts.providerAccountId, providerAccountId)))
    .limit(1);
  return row?.user;
}

/**
 * Signs the user out everywhere (docs/security.md): every session carries the version it was
 * issued with, so bumping it invalidates them all at once; API tokens are deleted too.
 */
export async function revokeAllSessions(userId: number) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await tx.delete(apiTokens).where(eq(apiTokens.userId, userId));
  });
}

/**
 * Changes the password (docs/security.md) after checking the old one (a wrong one is a field error
 * and counts toward the account's failure limit). Every session ends (the session version
 * is bumped; the caller may re-issue its own with the returned version) and every API token
 * is deleted, in one transaction.
 */
export async function changePassword(
  user: Pick<User, "id" | "email" | "passwordHash">,
  input: { oldPassword: string; newPassword: string },
): Promise<{ sessionVersion: number }> {
  if (!user.passwordHash) {
    throw ApiError.validation({ old_password: ["This account signs in with GitHub or Google and has no password to change."] });
  }
  if (!(await confirmPassword(user, input.oldPassword))) {
    throw ApiError.validation({ old_password: ["The password is not correct."] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, user.id))
      .returning({ sessionVersion: users.sessionVersion });
    if (!updated) throw ApiError.notFound();
    await tx.delete(apiTokens).where(eq(apiTokens.userId, user.id));
    return updated;
  });
}

/**
 * Deletes the account (docs/security.md). Rooms, logs, tokens and OAuth links go with it (ON DELETE
 * CASCADE), so its tokens stop working at once, and so do its sessions: every request looks
 * the user up (lib/auth/session.ts). The rooms' histories are purged as `deleteRoom` does:
 * recorded in the same transaction, carried out after it, retried while Redis is down.
 * Returns false when there was no such user.
 */
export async function deleteUser(userId: number): Promise<boolean> {
  const db = await getDb();
  const roomIds = await db.transaction(async (tx) => {
    // Lock the user first: a room created meanwhile (its FK check waits on this lock) cannot
    // slip past the list of rooms whose histories are purged.
    const [locked] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!locked) return undefined;
    const rooms = await tx.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.userId, userId));
    const ids = rooms.map((room) => room.id);
    await recordHistoryPurge(tx, ids);
    await tx.delete(users).where(eq(users.id, userId));
    return ids;
  });
  if (roomIds === undefined) return false;
  await purgeHistory(roomIds);
  return true;
}
