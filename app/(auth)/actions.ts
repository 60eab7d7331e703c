"use server";

import { headers } from "next/headers";
import { registerBody } from "@/lib/api/schemas";
import { toFieldErrors } from "@/lib/api/validation";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { clientIp, enforceRateLimit } from "@/lib/rate-limit";
import { createUser } from "@/lib/users";

export type SignUpState = { ok: boolean; errors?: Record<string, string[]> };

/** Creates the account; the form then signs in through next-auth with the same credentials. */
export async function signUp(input: { email: string; password: string; name: string }): Promise<SignUpState> {
  if (!env().ALLOW_REGISTRATION) return { ok: false, errors: { non_field_errors: ["Registration is disabled."] } };
  try {
    // The same per-IP budget as POST /auth/register/ and sign-in (no account farming).
    await enforceRateLimit("auth", `ip:${clientIp(await headers())}`);
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, errors: { non_field_errors: [error.message] } };
    throw error;
  }
  const parsed = registerBody.safeParse(input);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error) };
  try {
    await createUser(parsed.data);
    return { ok: true };
  } catch (error) {
    if (error instanceof ApiError && error.options.fields) return { ok: false, errors: error.options.fields };
    // argon2 saturated (lib/auth/password.ts): say so rather than fail the action.
    if (error instanceof ApiError) return { ok: false, errors: { non_field_errors: [error.message] } };
    throw error;
  }
}
