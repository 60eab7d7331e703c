import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

/**
 * The socket's address for per-IP limits (docs/security.md). `next start` gives route handlers no
 * way to the socket: it copies the socket's address into X-Forwarded-For only when the
 * request has none (`??=` in its base server), so a client that sends its own header hides
 * its address, and every forged value would be a fresh budget.
 *
 * `stampPeerAddresses` (called once from instrumentation.ts, before the server takes
 * requests) makes the server behave as a proxy should: every request gets the forwarding
 * chain as it arrived with the socket's address appended, under a header whose name is
 * random per process, so no client can send it. `lib/rate-limit.ts` picks the client out of
 * that chain with TRUST_PROXY_HOPS.
 */
const holder = globalThis as unknown as { __ainfoPeerHeader?: string };

/** The stamped header's name, or undefined while the stamp is not installed. */
export function peerHeaderName(): string | undefined {
  return holder.__ainfoPeerHeader;
}

export function stampPeerAddresses() {
  if (holder.__ainfoPeerHeader) return;
  const name = `x-ainfo-peer-${randomBytes(12).toString("hex")}`;
  for (const Server of [http.Server, https.Server]) {
    const emit = Server.prototype.emit;
    Server.prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        const sent = req.headers["x-forwarded-for"];
        const forwarded = Array.isArray(sent) ? sent.join(", ") : sent;
        const peer = req.socket?.remoteAddress ?? "unknown"; // never let a forged entry be last
        req.headers[name] = forwarded?.trim() ? `${forwarded}, ${peer}` : peer;
      }
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    } as typeof emit;
  }
  holder.__ainfoPeerHeader = name;
}
