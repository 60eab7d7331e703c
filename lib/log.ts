import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * The server's structured log: one JSON line per event on stdout, at `LOG_LEVEL`.
 * What is logged is chosen field by field: ids, routes, statuses, timings and sizes;
 * never message text, titles, tokens, passwords, cookies or headers. Errors go through
 * `serializeError`, which drops the parts that can carry user data (SQL parameters).
 */
const globalLogger = globalThis as unknown as { __ainfoLogger?: Logger };

export function logger(): Logger {
  globalLogger.__ainfoLogger ??= pino({
    level: env().LOG_LEVEL,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
  });
  return globalLogger.__ainfoLogger;
}

/** One line per API request (lib/api/handler.ts). `route` is the route's pattern, not the URL. */
export type RequestLine = { requestId: string; method: string; route: string; status: number; durationMs: number };

export function logRequest(line: RequestLine) {
  const level = line.status >= 500 ? "error" : line.status >= 400 ? "warn" : "info";
  logger()[level]({ ...line, durationMs: Math.round(line.durationMs) }, "request");
}

/**
 * One line per bot turn. `tokens` counts the streamed pieces of the reply (OpenAI-compatible
 * servers stream one token per piece); `outcome` is done | stopped | room_deleted | model_error | error.
 */
export type TurnLine = {
  roomId: number;
  model: string;
  outcome: string;
  durationMs: number;
  firstTokenMs: number | undefined;
  tokens: number;
  chars: number;
  status?: number;
  /** An unexpected failure (outcome `error`), logged without its SQL parameters. */
  err?: unknown;
};

export function logTurn(line: TurnLine) {
  const level = line.outcome === "error" ? "error" : line.outcome === "model_error" ? "warn" : "info";
  logger()[level](
    {
      ...line,
      durationMs: Math.round(line.durationMs),
      firstTokenMs: line.firstTokenMs === undefined ? undefined : Math.round(line.firstTokenMs),
    },
    "turn",
  );
}

type SerializedError = { type: string; message: string; code?: string; stack?: string; cause?: SerializedError };

/**
 * An error without the parts that can carry user data: drizzle's "Failed query" errors
 * print the statement's parameters in their message (and so in the stack's first line);
 * only the SQL text is kept. The stack keeps its frames only.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { type: typeof error, message: "non-Error thrown" };
  const { code, query, cause } = error as Error & { code?: unknown; query?: unknown; cause?: unknown };
  const serialized: SerializedError = {
    type: error.name,
    message: typeof query === "string" ? `Failed query: ${query}` : error.message,
  };
  if (typeof code === "string") serialized.code = code;
  const frames = error.stack
    ?.split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .join("\n");
  if (frames) serialized.stack = frames;
  if (cause !== undefined && depth < 3) serialized.cause = serializeError(cause, depth + 1);
  return serialized;
}
