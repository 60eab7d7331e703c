import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { errorResponse } from "@/lib/errors";
import { clientIp, enforceRateLimit } from "@/lib/rate-limit";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth v4's App Router handler; options are built per request so env changes apply.
async function handler(req: NextRequest, context: Context) {
  return NextAuth(req, context, authOptions());
}

/** Password guessing through the credentials sign-in counts against the per-IP auth limit. */
async function POST(req: NextRequest, context: Context) {
  const { nextauth = [] } = await context.params;
  if (nextauth[0] === "callback" && nextauth[1] === "credentials") {
    try {
      await enforceRateLimit("auth", `ip:${clientIp(req.headers)}`);
    } catch (error) {
      return errorResponse(error);
    }
  }
  return handler(req, context);
}

export { handler as GET, POST };
