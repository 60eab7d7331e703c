import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { requestOrigin } from "@/lib/auth/callback-url";
import { authOptions } from "@/lib/auth/options";
import { refusalFromSignInResponse } from "@/lib/auth/sign-in-refusal";
import { errorResponse } from "@/lib/errors";
import { clientIp, enforceRateLimit } from "@/lib/rate-limit";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth v4's App Router handler; options are built per request so env changes apply,
// with the request's own origin: redirects after sign-in/out stay on the host the browser used.
async function handler(req: NextRequest, context: Context) {
  return NextAuth(req, context, authOptions(requestOrigin(req.headers)));
}

/**
 * Password guessing through the credentials sign-in counts against the per-IP auth limit,
 * and (inside `authorize`) against the account's failure limit; both refusals answer as the
 * REST API does: 429 (or 503 when argon2 is saturated) with Retry-After.
 */
async function POST(req: NextRequest, context: Context) {
  const { nextauth = [] } = await context.params;
  if (nextauth[0] !== "callback" || nextauth[1] !== "credentials") return handler(req, context);
  try {
    await enforceRateLimit("auth", `ip:${clientIp(req.headers)}`);
    const res = await handler(req, context);
    const refusal = res.status === 200 ? undefined : await refusalFromSignInResponse(res);
    if (refusal) throw refusal;
    return res;
  } catch (error) {
    return errorResponse(error);
  }
}

export { handler as GET, POST };
