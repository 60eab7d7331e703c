import "server-only";
import { decode, encode } from "next-auth/jwt";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getUserById } from "@/lib/users";
import type { User } from "@/db/schema";
import { SESSION_MAX_AGE_SECONDS } from "./options";
import { authSecret } from "./secret";

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

type CookieJar = { getAll(): { name: string; value: string }[] };

/** next-auth splits large JWTs into `name.0`, `name.1`…; ours are small, but join them anyway. */
function readSessionCookie(jar: CookieJar): { name: string; value: string } | undefined {
  const all = jar.getAll();
  for (const name of SESSION_COOKIES) {
    const whole = all.find((c) => c.name === name);
    if (whole) return { name, value: whole.value };
    const chunks = all
      .filter((c) => c.name.startsWith(`${name}.`))
      .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
    if (chunks.length > 0) return { name, value: chunks.map((c) => c.value).join("") };
  }
  return undefined;
}

const readSessionToken = (jar: CookieJar) => readSessionCookie(jar)?.value;

/**
 * The signed-in user, from the session cookie, checked against the database: the user
 * must still exist and the session must not have been revoked (docs/security.md).
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

/**
 * For server components and actions: the current user, or undefined. Resolved once per
 * request (React `cache`): the layout's sidebar, the page and its metadata all ask.
 */
export const getSessionUser = cache(async () => userFromSessionCookies(await cookies()));

/** For pages that need a user: redirects to sign-in (and back afterwards) otherwise. */
export async function requireSessionUser(returnTo: string) {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export type SessionCookie = {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; expires: Date };
};

/**
 * After the user's session version was bumped (a password change ends every session), a
 * fresh cookie for the caller's own session, carrying the new version: that one session
 * goes on, every other one ends. Same name and attributes as next-auth's own cookie.
 * Undefined when the request carries no valid session.
 */
export async function renewedSessionCookie(jar: CookieJar, sessionVersion: number): Promise<SessionCookie | undefined> {
  const found = readSessionCookie(jar);
  if (!found) return undefined;
  const secret = authSecret();
  const payload = await decode({ token: found.value, secret }).catch(() => null);
  if (!payload || typeof payload.uid !== "number") return undefined;
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = payload;
  const value = await encode({ token: { ...claims, sv: sessionVersion }, secret, maxAge: SESSION_MAX_AGE_SECONDS });
  return {
    name: found.name,
    value,
    options: {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: found.name.startsWith("__Secure-"),
      expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
    },
  };
}

/** A `Set-Cookie` header value for a route handler's response. */
export function serializeSessionCookie({ name, value, options }: SessionCookie): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Expires=${options.expires.toUTCString()}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}
