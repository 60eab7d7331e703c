import { z } from "zod";

/**
 * Every setting the app reads, parsed once. Nothing else reads `process.env`
 * (docs/configuration.md#embedded-defaults; each variable is documented in `.env.example`).
 */
const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes"].includes(v)));
const int = (fallback: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? fallback : Number(v)))
    .pipe(z.number().int().min(min));
const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optional,
  DATA_DIR: z.string().default(".data"),
  DB_POOL_MAX: int(10, 1),
  DB_STATEMENT_TIMEOUT_MS: int(15_000, 100),

  UPSTASH_REDIS_REST_URL: optional,
  UPSTASH_REDIS_REST_TOKEN: optional,
  REDIS_URL: optional,
  REDIS_TIMEOUT_MS: int(2_000, 50),
  HISTORY_KEY_PREFIX: z.string().default("message_store:"),
  HISTORY_MAX_MESSAGES: int(20, 1),
  HISTORY_TTL_SECONDS: int(30 * 24 * 3600, 1),

  AUTH_SECRET: optional,
  NEXTAUTH_SECRET: optional,
  NEXTAUTH_URL: optional,
  ALLOW_REGISTRATION: flag(true),
  GITHUB_CLIENT_ID: optional,
  GITHUB_CLIENT_SECRET: optional,
  /** GitHub Enterprise Server: its web and API roots (the tests point them at a fake GitHub). */
  GITHUB_URL: z.string().trim().url().default("https://github.com"),
  GITHUB_API_URL: z.string().trim().url().default("https://api.github.com"),
  GOOGLE_CLIENT_ID: optional,
  GOOGLE_CLIENT_SECRET: optional,

  LLM_BASE_URL: optional,
  LLM_API_KEY: optional,
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  /** The models a room may choose (comma-separated); unset = `LLM_MODEL` alone (lib/llm/models.ts). */
  LLM_MODELS: optional,
  LLM_SYSTEM_PROMPT: z
    .string()
    .default("You are AInfo, a helpful assistant. Answer in the language of the user's message."),
  LLM_TIMEOUT_MS: int(60_000, 100),
  LLM_MAX_TOKENS: int(2_048, 1),
  MAX_CONCURRENT_STREAMS: int(3, 1),

  RATE_LIMIT_WRITES_PER_MINUTE: int(120, 1),
  RATE_LIMIT_MESSAGES_PER_MINUTE: int(30, 1),
  RATE_LIMIT_AUTH_PER_MINUTE: int(10, 1),
  /** Failed password checks per account per 15 minutes, whatever the IP (docs/security.md). */
  RATE_LIMIT_PASSWORD_FAILURES: int(10, 1),
  /** Where the shared rate-limit counters live in Redis (lib/rate-limit.ts). */
  RATE_LIMIT_KEY_PREFIX: z.string().default("ainfo:ratelimit:"),
  /** Reverse proxies in front that append to X-Forwarded-For; 0 = trust no forwarding header. */
  TRUST_PROXY_HOPS: int(0, 0),
  /** argon2 hashes/verifications at once per process, and how long more may wait for a turn. */
  ARGON2_MAX_CONCURRENT: int(4, 1),
  ARGON2_QUEUE_TIMEOUT_MS: int(5_000, 0),
  /** Where turn locks, reply slots, live replies and idempotency records live in Redis (lib/replies). */
  REPLY_KEY_PREFIX: z.string().default("ainfo:replies:"),

  /** One JSON line per request and per turn (lib/log.ts); `silent` turns logging off. */
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  /** How long a SIGTERM waits for replies in progress before stopping them (lib/shutdown.ts). */
  SHUTDOWN_GRACE_MS: int(30_000, 0),
  /** Bearer token of GET /api/metrics; unset → the endpoint does not exist (404). */
  METRICS_TOKEN: optional,
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    // One line: start-up prints it as the reason it refuses to run.
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  if (parsed.data.UPSTASH_REDIS_REST_URL && !parsed.data.UPSTASH_REDIS_REST_TOKEN) {
    throw new Error("Invalid configuration: UPSTASH_REDIS_REST_URL is set but UPSTASH_REDIS_REST_TOKEN is not.");
  }
  cached = parsed.data;
  return cached;
}

/** The shortest AUTH_SECRET production accepts (docs/security.md): `openssl rand -base64 32` gives 44. */
export const MIN_AUTH_SECRET_LENGTH = 32;

/**
 * What a production server cannot run without (docs/security.md), as one line, or undefined. Without
 * a secret every session is forgeable or every request fails; without NEXTAUTH_URL next-auth
 * builds OAuth callbacks and its own redirects from guesses. Start-up exits on either.
 */
export function productionConfigProblem(config: Env = env()): string | undefined {
  if (config.NODE_ENV !== "production") return undefined;
  const secret = config.AUTH_SECRET ?? config.NEXTAUTH_SECRET;
  if (!secret) return "AUTH_SECRET is not set: generate one with `openssl rand -base64 32` and set it in the environment.";
  if (secret.length < MIN_AUTH_SECRET_LENGTH)
    return `AUTH_SECRET is too short (${secret.length} characters, at least ${MIN_AUTH_SECRET_LENGTH}): generate one with \`openssl rand -base64 32\`.`;
  if (!config.NEXTAUTH_URL) return "NEXTAUTH_URL is not set: set it to the app's public URL, e.g. https://chat.example.com.";
  try {
    const url = new URL(config.NEXTAUTH_URL);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    return `NEXTAUTH_URL is not an http(s) URL: ${JSON.stringify(config.NEXTAUTH_URL.slice(0, 100))}.`;
  }
  return undefined;
}

/** Tests change the environment between cases; production never calls this. */
export function resetEnvCache() {
  cached = undefined;
}
