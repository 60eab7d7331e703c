import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { env, type Env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { authenticateUser, findOrCreateOAuthUser, getUserByOAuthAccount, type OAuthSignIn } from "@/lib/users";
import { safeCallbackUrl } from "./callback-url";
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

/** Refusals of an OAuth sign-in → the `?error=` code the sign-in page explains. */
const OAUTH_REFUSALS: Record<Extract<OAuthSignIn, { ok: false }>["reason"], string> = {
  not_linked: "OAuthAccountNotLinked",
  unverified: "OAuthEmailUnverified",
  no_email: "OAuthEmailUnverified",
  registration_closed: "OAuthRegistrationClosed",
};

/**
 * GitHub (or GitHub Enterprise Server at GITHUB_URL / GITHUB_API_URL). The profile's email is
 * the account's primary email from `/user/emails`, with GitHub's own `verified` flag: an
 * address GitHub has not verified is never linked to an account here (docs/security.md).
 */
function gitHub(config: Env) {
  const web = config.GITHUB_URL.replace(/\/+$/, "");
  const api = config.GITHUB_API_URL.replace(/\/+$/, "");
  return GitHubProvider({
    clientId: config.GITHUB_CLIENT_ID!,
    clientSecret: config.GITHUB_CLIENT_SECRET!,
    authorization: { url: `${web}/login/oauth/authorize`, params: { scope: "read:user user:email" } },
    token: `${web}/login/oauth/access_token`,
    userinfo: {
      url: `${api}/user`,
      async request({ client, tokens }) {
        const profile = await client.userinfo(tokens.access_token!);
        const res = await fetch(`${api}/user/emails`, {
          headers: { Authorization: `token ${tokens.access_token}`, Accept: "application/vnd.github+json" },
          signal: AbortSignal.timeout(10_000),
        });
        const emails: unknown = res.ok ? await res.json() : [];
        type GitHubEmail = { email?: unknown; primary?: unknown; verified?: unknown };
        const list = Array.isArray(emails) ? (emails as GitHubEmail[]) : [];
        const primary = list.find((e) => e.primary === true);
        return {
          ...profile,
          email: typeof primary?.email === "string" ? primary.email : undefined,
          email_verified: primary?.verified === true,
        };
      },
    },
  });
}

/** Whether the provider vouches for the profile's email (Google: the OIDC claim). */
function emailVerified(profile: unknown): boolean {
  const claim = (profile as { email_verified?: unknown } | undefined)?.email_verified;
  return claim === true || claim === "true";
}

/**
 * next-auth with JWT sessions. The token carries the user id and the session version it
 * was issued with; `lib/auth/session.ts` checks both against the database on every request.
 * `origin` is the request's own (lib/auth/callback-url.ts): redirects after sign-in and
 * sign-out are paths of it, whatever NEXTAUTH_URL says.
 */
export function authOptions(origin?: string): NextAuthOptions {
  const config = env();
  const enabled = oauthProviders();
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Refused and failed OAuth sign-ins come back to our sign-in page with `?error=`.
    pages: { signIn: "/sign-in", error: "/sign-in" },
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
      ...(enabled.github ? [gitHub(config)] : []),
      ...(enabled.google
        ? [GoogleProvider({ clientId: config.GOOGLE_CLIENT_ID!, clientSecret: config.GOOGLE_CLIENT_SECRET! })]
        : []),
    ],
    callbacks: {
      async signIn({ account, user, profile }) {
        if (!account || account.provider === "credentials") return true;
        const outcome = await findOrCreateOAuthUser({
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          email: user.email,
          emailVerified: emailVerified(profile),
          name: user.name,
          allowRegistration: config.ALLOW_REGISTRATION,
        });
        if (outcome.ok) return true;
        return new URL(`/sign-in?error=${OAUTH_REFUSALS[outcome.reason]}`, origin ?? config.NEXTAUTH_URL ?? "http://localhost").href;
      },
      /**
       * Only paths of this site, on the origin the browser used (docs/security.md), not NEXTAUTH_URL's
       * (`npm run dev -- -p 3100`). Absolute, because next-auth/react parses it with `new URL`.
       */
      async redirect({ url, baseUrl }) {
        const home = origin ?? baseUrl;
        return new URL(safeCallbackUrl(url, home, { fallback: "/chat", alsoOurs: [baseUrl] }), home).href;
      },
      async jwt({ token, user, account }) {
        if (!user) {
          // docs/security.md: a deleted account or a bumped session version ends the session in
          // next-auth's own endpoints (/api/auth/session) too; throwing makes next-auth clear
          // the cookie. A database outage is not a revocation: the session is kept.
          if (await sessionRevoked(token.uid, token.sv)) throw new Error("Session revoked");
          return token;
        }
        // The signIn callback above has linked (or refused) the OAuth identity already.
        const oauth = account && account.provider !== "credentials";
        const { getUserById } = await import("@/lib/users");
        const fresh = oauth
          ? await getUserByOAuthAccount(account.provider, account.providerAccountId)
          : await getUserById(Number(user.id));
        if (!fresh) throw new Error("Sign-in refused");
        token.uid = fresh.id;
        token.sv = fresh.sessionVersion;
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
