import { timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { logger } from "@/lib/log";

/**
 * The Prometheus metrics of one app instance (README "Deploy": what to scrape), served by
 * GET /api/metrics. One registry per process, kept on globalThis like the other singletons:
 * every route bundle and the instrumentation hook must count into the same series.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: "ainfo_http_request_duration_seconds",
    help: "API requests by route pattern, method and status: time until the response headers (a streamed reply's body continues after).",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const repliesInProgress = new Gauge({
    name: "ainfo_replies_in_progress",
    help: "Bot replies being generated right now.",
    registers: [registry],
  });
  const replies = new Counter({
    name: "ainfo_replies_total",
    help: "Bot turns by outcome: done, stopped, room_deleted, model_error, error.",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const firstToken = new Histogram({
    name: "ainfo_reply_first_token_seconds",
    help: "Time from the start of a turn (context loaded from the history store) to the model's first piece of text.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [registry],
  });
  const modelErrors = new Counter({
    name: "ainfo_model_errors_total",
    help: "Replies that failed at the model: status 502 (model failed) or 504 (model silent for LLM_TIMEOUT_MS).",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const historyStoreErrors = new Counter({
    name: "ainfo_history_store_errors_total",
    help: "Failed history-store (Redis / Upstash) calls by operation: append, readLast, clear.",
    labelNames: ["operation"] as const,
    registers: [registry],
  });
  const pendingPurges = new Gauge({
    name: "ainfo_history_purges_pending",
    help: "Deleted rooms whose history purge still waits for the history store (read from Postgres at scrape time; NaN if Postgres is unreachable).",
    registers: [registry],
    async collect() {
      try {
        const { countPendingPurges } = await import("@/lib/history/purge");
        this.set(await countPendingPurges());
      } catch (error) {
        logger().warn({ err: error }, "metrics: pending purges could not be counted");
        this.set(Number.NaN);
      }
    },
  });
  // Series that exist from the first scrape, so that rate() sees their first increment.
  for (const status of ["502", "504"]) modelErrors.inc({ status }, 0);
  for (const operation of ["append", "readLast", "clear"]) historyStoreErrors.inc({ operation }, 0);

  return { registry, requestDuration, repliesInProgress, replies, firstToken, modelErrors, historyStoreErrors, pendingPurges };
}

type Metrics = ReturnType<typeof createMetrics>;
const globalMetrics = globalThis as unknown as { __ainfoMetrics?: Metrics };

export function metrics(): Metrics {
  globalMetrics.__ainfoMetrics ??= createMetrics();
  return globalMetrics.__ainfoMetrics;
}

/**
 * GET /api/metrics is off (404, as if it did not exist) unless METRICS_TOKEN is set; then
 * the scraper must send `Authorization: Bearer <METRICS_TOKEN>` (else 401).
 */
export function assertMetricsAccess(headers: Headers) {
  const expected = env().METRICS_TOKEN;
  if (!expected) throw ApiError.notFound();
  const [scheme, given] = (headers.get("authorization") ?? "").trim().split(/\s+/);
  const ok =
    scheme?.toLowerCase() === "bearer" &&
    given !== undefined &&
    Buffer.byteLength(given) === Buffer.byteLength(expected) &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) throw ApiError.invalidToken();
}

/** The exposition in Prometheus's text format. */
export async function metricsResponse(): Promise<Response> {
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}
