import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { authenticateUser, findOrCreateOAuthUser } from "@/lib/users";
import { authSecret } from "./secret";
import { refusalMessage } from "./sign-in-refusal";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** Which sign-in methods are configured (the sign-in page shows only these). */
export function oauthProviders() {
  const config = env();
  return {
    github: Boolean(config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET),
    google: Boolean(config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET),
  };
}

/**
 * next-auth with JWT sessions. The token carries the user id and the session version it
 * was issued with; `lib/auth/session.ts` checks both against the database on every request.
 */
export function authOptions(): NextAuthOptions {
  const config = env();
  const enabled = oauthProviders();
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials) {
          const email = credentials?.email?.trim() ?? "";
          const password = credentials?.password ?? "";
          if (!email || !password || email.length > 254 || password.length > 256) return null;
          try {
            const user = await authenticateUser(email, password);
            return user ? { id: String(user.id), email: user.email, name: user.name } : null;
          } catch (error) {
            // The account's failure limit (429) or a saturated argon2 (503): the route
            // handler answers it as the REST API does (lib/auth/sign-in-refusal.ts).
            if (error instanceof ApiError && (error.status === 429 || error.status === 503)) {
              throw new Error(refusalMessage(error));
            }
            throw error;
          }
        },
      }),
      ...(enabled.github
        ? [GitHubProvider({ clientId: config.GITHUB_CLIENT_ID!, clientSecret: config.GITHUB_CLIENT_SECRET! })]
        : []),
      ...(enabled.google
        ? [GoogleProvider({ clientId: config.GOOGLE_CLIENT_ID!, clientSecret: config.GOOGLE_CLIENT_SECRET! })]
        : []),
    ],
    callbacks: {
      async signIn({ account, user }) {
        // OAuth sign-ins need a verified email to be linked to an account.
        if (account && account.provider !== "credentials") return Boolean(user.email);
        return true;
      },
      async jwt({ token, user, account }) {
        if (!user) {
          // SPEC §10: a deleted account or a bumped session version ends the session in
          // next-auth's own endpoints (/api/auth/session) too; throwing makes next-auth clear
          // the cookie. A database outage is not a revocation: the session is kept.
          if (await sessionRevoked(token.uid, token.sv)) throw new Error("Session revoked");
          return token;
        }
        const dbUser =
          account && account.provider !== "credentials"
            ? await findOrCreateOAuthUser({
                provider: account.provider,
                providerAccountId: account.providerAccountId,
                email: user.email!,
                name: user.name,
              })
            : { id: Number(user.id) };
        const { getUserById } = await import("@/lib/users");
        const fresh = await getUserById(dbUser.id);
        token.uid = dbUser.id;
        token.sv = fresh?.sessionVersion ?? 0;
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: number }).id = token.uid as number;
        return session;
      },
    },
  };
}

async function sessionRevoked(uid: unknown, sv: unknown): Promise<boolean> {
  if (typeof uid !== "number") return true;
  try {
    const { getUserById } = await import("@/lib/users");
    const user = await getUserById(uid);
    return !user || user.sessionVersion !== (typeof sv === "number" ? sv : 0);
  } catch {
    return false;
  }
}
