/**
 * `fetch` for the model server that sends a request again when its connection failed before
 * any response arrived.
 *
 * Node's fetch (undici) keeps idle connections to the model server open and reuses them. A
 * server or proxy that closes an idle connection just as we reuse it makes the request fail
 * with "other side closed" (or ECONNRESET) although the server never saw it: under load that
 * is a random 502 for the user. Such a request is safe to send again: the failed connection
 * has left the pool, so the next attempt takes another one (after a burst several pooled
 * connections can have gone stale together, hence up to `retries` attempts more).
 * Once a response has begun (fetch resolved), nothing is retried: the model may already be
 * writing a reply, and a second request would answer twice.
 */
export function fetchWithConnectionRetry(base: typeof fetch = fetch, retries = 2): typeof fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await base(input, init);
      } catch (error) {
        if (attempt >= retries || init?.signal?.aborted || !isStaleConnectionError(error)) throw error;
      }
    }
  };
}

/** undici's codes for a connection closed under a request; ECONNREFUSED is not one (the server is down). */
const STALE_CONNECTION_CODES = new Set(["UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNRESET", "EPIPE"]);

export function isStaleConnectionError(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && STALE_CONNECTION_CODES.has(e.code)) return true;
  }
  return false;
}
