import autocannon from "autocannon";
import { config } from "./config";
import { sampleRss } from "./rss";

/**
 * One endpoint under load with autocannon: `connections` keep-alive connections for
 * `durationSec` (or exactly `amount` requests), after a short warm-up that is not counted.
 * `path`/`body` are called per request, so each request can target another room.
 */
export type Endpoint = {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: () => string;
  body?: () => string;
  token: string;
  /** `Authorization: <scheme> <token>`; DRF's TokenAuthentication only knows `Token`. */
  scheme?: "Bearer" | "Token";
  accept?: string;
  /** Count-limited (e.g. DELETE, which uses up its rooms) instead of timed. */
  amount?: number;
  connections?: number;
  durationSec?: number;
  /** Requests made and not counted before the measured run (default: `warmupSec` of load). */
  warmupAmount?: number;
};

export type LoadResult = {
  name: string;
  requests: number;
  durationSec: number;
  connections: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  rssPeakMb?: number;
  rssAfterMb?: number;
  /** SQL statements one request sends (median of sequential requests: bench/sql-count.ts). */
  sqlPerRequest?: number;
};

export async function runLoad(baseUrl: string, endpoint: Endpoint, serverPid?: number): Promise<LoadResult> {
  const connections = endpoint.connections ?? config.connections;
  if (endpoint.warmupAmount !== undefined && endpoint.warmupAmount > 0) {
    await fire(baseUrl, endpoint, { connections, amount: endpoint.warmupAmount });
  } else if (endpoint.warmupAmount === undefined) {
    await fire(baseUrl, endpoint, { connections, duration: config.warmupSec });
    await drainInFlight(baseUrl, endpoint, connections);
  }
  const rss = sampleRss(serverPid);
  const result = await fire(baseUrl, endpoint, {
    connections,
    ...(endpoint.amount !== undefined ? { amount: endpoint.amount } : { duration: endpoint.durationSec ?? config.durationSec }),
  });
  const memory = rss.stop();
  // Not to leave the backlog to whatever runs next (on this server or, through the CPU, another).
  if (endpoint.amount === undefined) await drainInFlight(baseUrl, endpoint, connections);
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
  );
  const requests = result.requests.total;
  return {
    name: endpoint.name,
    requests,
    durationSec: round(result.duration, 2),
    connections,
    rps: round(requests / result.duration, 1),
    latencyMs: {
      p50: round(result.latency.p50, 2),
      p90: round(result.latency.p90, 2),
      p99: round(result.latency.p99, 2),
      max: round(result.latency.max, 2),
      mean: round(result.latency.mean, 2),
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    rssPeakMb: memory.peakMb,
    rssAfterMb: memory.lastMb,
  };
}

/**
 * Load that is not measured: a server's code paths compiled by the JIT before any figure is
 * taken, whichever row comes first (bench/compare.ts warms every server on every row).
 */
export async function warmUp(baseUrl: string, endpoint: Endpoint, seconds: number) {
  const connections = endpoint.connections ?? config.connections;
  await fire(baseUrl, endpoint, { connections, duration: seconds });
  await drainInFlight(baseUrl, endpoint, connections);
}

/**
 * A timed run ends with a request in flight on every connection, which the server still
 * serves after autocannon has hung up. One more request per connection, all awaited, drains
 * them: the next measured run starts on an idle machine. On a 10,000-log answer that backlog
 * is seconds, and it would cost a slow server a larger share of its window than a fast one.
 */
async function drainInFlight(baseUrl: string, endpoint: Endpoint, connections: number) {
  await fire(baseUrl, endpoint, { connections, amount: connections });
}

function fire(baseUrl: string, endpoint: Endpoint, run: { connections: number; duration?: number; amount?: number }) {
  const headers: Record<string, string> = {
    authorization: `${endpoint.scheme ?? "Bearer"} ${endpoint.token}`,
    accept: endpoint.accept ?? "application/json",
  };
  if (endpoint.body) headers["content-type"] = "application/json";
  return autocannon({
    url: baseUrl,
    ...run,
    timeout: 30,
    headers,
    setupClient: reconnectOnClose,
    requests: [
      {
        method: endpoint.method,
        setupRequest: (request) => ({
          ...request,
          path: endpoint.path(),
          ...(endpoint.body ? { body: endpoint.body() } : {}),
        }),
      },
    ],
  });
}

/**
 * A server that closes each connection after its answer (gunicorn's sync workers, the DRF
 * anchor's, send `Connection: close`): autocannon 9 writes the next request into the closing
 * socket anyway, counts an ECONNRESET and reconnects, which costs that server a wasted round
 * trip per answer. Like wrk, open the new connection first. Relies on autocannon's Client
 * internals (`_doRequest`, `_destroyConnection`, `_connect`; checked against 9.0); a
 * keep-alive server never takes this path.
 */
function reconnectOnClose(client: any) {
  let closing = false;
  client.on("headers", (info: { shouldKeepAlive?: boolean }) => {
    closing = info.shouldKeepAlive === false;
  });
  const doRequest = client._doRequest;
  client._doRequest = function (this: any, ...args: unknown[]) {
    if (!closing) return doRequest.apply(this, args);
    closing = false;
    this._destroyConnection();
    this._connect(); // sends the request on the new connection
  };
}

/** Round-robin over a list: each call returns the next item. */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error("cycle: empty list");
  let i = 0;
  return () => items[i++ % items.length]!;
}

/** Each call returns the next item, once; then the fallback (e.g. a path that 404s, counted). */
export function drain<T>(items: readonly T[], fallback: T): () => T {
  let i = 0;
  return () => (i < items.length ? items[i++]! : fallback);
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
