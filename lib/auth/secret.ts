import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let cached: string | undefined;

/**
 * The secret that signs session JWTs (docs/configuration.md#embedded-defaults): AUTH_SECRET (or NEXTAUTH_SECRET); in
 * development a generated one kept under DATA_DIR; in production a missing one is an error.
 */
export function authSecret(): string {
  if (cached) return cached;
  const config = env();
  const configured = config.AUTH_SECRET ?? config.NEXTAUTH_SECRET;
  if (configured) return (cached = configured);
  if (config.NODE_ENV === "production") {
    throw new Error(
      "AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
  }
  const file = path.resolve(config.DATA_DIR, "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    cached = randomBytes(32).toString("base64url");
    fs.writeFileSync(file, cached, { mode: 0o600 });
  }
  return cached;
}
