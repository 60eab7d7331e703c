import "server-only";
import { createHash } from "node:crypto";
import { enforceRateLimit, refundRateLimit } from "@/lib/rate-limit";
import { verifyPassword } from "./password";

/**
 * Every password check goes through here (docs/security.md): token minting, the credentials
 * sign-in, account deletion and password change. Per-IP limits alone are not enough (an
 * attacker has many addresses), so failures are also limited per account: each check counts
 * as a failure of the email (known or not, so probing unknown emails is limited too and
 * tells nothing) before argon2 runs, and is given back when the password is right. Counting
 * first means concurrent guesses cannot slip past the limit. Past RATE_LIMIT_PASSWORD_FAILURES
 * in 15 minutes → 429 with Retry-After, whatever the IP, before any argon2 work.
 */
export async function checkAccountPassword(
  email: string,
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  // Hashed: the counter's key carries no address, and its length is fixed.
  const subject = `account:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32)}`;
  await enforceRateLimit("password", subject);
  let ok = false;
  try {
    ok = await verifyPassword(passwordHash, password);
  } catch (error) {
    await refundRateLimit("password", subject); // not checked (server busy): not a failure
    throw error;
  }
  if (ok) await refundRateLimit("password", subject);
  return ok;
}
