import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getUserById } from "@/lib/users";
import type { User } from "@/db/schema";
import { authSecret } from "./secret";

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

type CookieJar = { getAll(): { name: string; value: string }[] };

/** next-auth splits large JWTs into `name.0`, `name.1`…; ours are small, but join them anyway. */
function readSessionToken(jar: CookieJar): string | undefined {
  const all = jar.getAll();
  for (const name of SESSION_COOKIES) {
    const whole = all.find((c) => c.name === name);
    if (whole) return whole.value;
    const chunks = all
      .filter((c) => c.name.startsWith(`${name}.`))
      .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
    if (chunks.length > 0) return chunks.map((c) => c.value).join("");
  }
  return undefined;
}

/**
 * The signed-in user, from the session cookie, checked against the database: the user
 * must still exist and the session must not have been revoked (SPEC §10).
 */
export async function userFromSessionCookies(jar: CookieJar): Promise<User | undefined> {
  const raw = readSessionToken(jar);
  if (!raw) return undefined;
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token: raw, secret: authSecret() });
  } catch {
    return undefined;
  }
  const uid = payload?.uid;
  if (typeof uid !== "number") return undefined;
  const user = await getUserById(uid);
  if (!user || user.sessionVersion !== (payload?.sv ?? 0)) return undefined;
  return user;
}

export function hasSessionCookie(jar: CookieJar) {
  return readSessionToken(jar) !== undefined;
}

/** For server components and actions: the current user, or undefined. */
export async function getSessionUser() {
  return userFromSessionCookies(await cookies());
}

/** For pages that need a user: redirects to sign-in (and back afterwards) otherwise. */
export async function requireSessionUser(returnTo: string) {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
