import { logger } from "@/lib/log";

/**
 * The one error type of the app. Every failure a client can cause is an ApiError;
 * `toResponse` renders it in Django REST Framework's shape (docs/api.md) so clients written
 * for the original service keep working. Anything else becomes a logged, generic 500.
 */
export type ErrorCode =
  | "bad_request"
  | "validation"
  | "unauthenticated"
  | "invalid_token"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "bad_gateway"
  | "gateway_timeout"
  | "unavailable";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 400,
  unauthenticated: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  bad_gateway: 502,
  gateway_timeout: 504,
  unavailable: 503,
};

/** DRF's field errors: `{"title": ["Ensure this field has no more than 100 characters."]}`. */
export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { fields?: FieldErrors; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
    this.headers = options.headers ?? {};
  }

  body(): Record<string, unknown> {
    return this.options.fields ?? { detail: this.message };
  }

  toResponse(): Response {
    // docs/security.md: never cached, by a browser or anyone between.
    return Response.json(this.body(), { status: this.status, headers: { "Cache-Control": "private, no-store", ...this.headers } });
  }

  static notFound() {
    return new ApiError("not_found", "Not found.");
  }

  static unauthenticated() {
    return new ApiError("unauthenticated", "Authentication credentials were not provided.", {
      headers: { "WWW-Authenticate": 'Bearer realm="api"' },
    });
  }

  static invalidToken() {
    return new ApiError("invalid_token", "Invalid token.", {
      headers: { "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"' },
    });
  }

  static validation(fields: FieldErrors) {
    return new ApiError("validation", "Invalid input.", { fields });
  }

  static methodNotAllowed(method: string, allow: string[]) {
    return new ApiError("method_not_allowed", `Method "${method}" not allowed.`, {
      headers: { Allow: allow.join(", ") },
    });
  }

  static rateLimited(retryAfterSeconds: number, message?: string) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError("rate_limited", message ?? `Request was throttled. Expected available in ${seconds} seconds.`, {
      headers: { "Retry-After": String(seconds) },
    });
  }
}

/**
 * Error codes that mean "the database is unreachable or overloaded", not "the query is
 * wrong": postgres.js's own connection errors, Node's socket errors, and the server's
 * shutdown / connection-exception / too-many-connections / statement-timeout SQLSTATEs.
 */
const DB_UNAVAILABLE = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED",
  "57P01", "57P02", "57P03", "57014", "53300", "08000", "08001", "08003", "08004", "08006",
]);

/**
 * The code that marks `error` as "database unavailable", if any. Looks through wrappers
 * (drizzle's `cause`) and Node's AggregateError (`errors`, one per address tried).
 */
function databaseUnavailableCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && DB_UNAVAILABLE.has(code)) return code;
  for (const inner of Array.isArray(errors) ? errors : []) {
    const found = databaseUnavailableCode(inner, depth + 1);
    if (found) return found;
  }
  return databaseUnavailableCode(cause, depth + 1);
}

/** Whether `error` means the database is unreachable or overloaded (a 503, not a 500). */
export const isDatabaseUnavailable = (error: unknown) => databaseUnavailableCode(error) !== undefined;

/**
 * Turns anything thrown by a handler into a response; unknown errors are logged (with the
 * request's id, the `X-Request-Id` the client got), not leaked.
 */
export function errorResponse(error: unknown, requestId?: string): Response {
  if (error instanceof ApiError) return error.toResponse();
  const dbDown = databaseUnavailableCode(error);
  if (dbDown) {
    // The code only: the wrapped error would print the whole query with its parameters (user data).
    logger().error({ requestId, code: dbDown }, "database unavailable");
    return new ApiError("unavailable", "The service is temporarily unavailable. Please try again shortly.", {
      headers: { "Retry-After": "5" },
    }).toResponse();
  }
  logger().error({ requestId, err: error }, "unexpected error");
  return Response.json({ detail: "A server error occurred." }, { status: 500, headers: { "Cache-Control": "private, no-store" } });
}
