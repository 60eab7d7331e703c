import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Endpoint } from "./load";
import { percentile } from "./stats";

/**
 * SQL statements per request, counted exactly: a TCP proxy between a second app server and
 * Postgres reads the client side of the wire protocol and counts Execute ('E', extended
 * protocol) and Query ('Q', simple protocol) messages. Requests are sent one at a time, so
 * the count between two responses is that request's. This shows N+1 patterns (a query per
 * row) and the round trips each endpoint pays. The load phase does not go through the
 * proxy, so it costs the measured figures nothing.
 */
export type StatementCounter = { port: number; statements: () => number; close: () => Promise<void> };

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export async function startStatementCounter(target: { host: string; port: number }): Promise<StatementCounter> {
  let statements = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    open.add(client).add(upstream);
    const drop = () => {
      for (const socket of [client, upstream]) {
        socket.destroy();
        open.delete(socket);
      }
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    // Frontend messages: a startup packet (int32 length, int32 code) first, then
    // (type byte, int32 length including itself, payload) each.
    let buffer: Buffer = Buffer.alloc(0);
    let startup = true;
    client.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (startup) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
          buffer = buffer.subarray(length);
        } else {
          if (buffer.length < 5) break;
          const length = buffer.readInt32BE(1) + 1;
          if (buffer.length < length) break;
          const type = String.fromCharCode(buffer[0]!);
          if (type === "E" || type === "Q") statements += 1;
          buffer = buffer.subarray(length);
        }
      }
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    statements: () => statements,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Median (and max) statements per request of each endpoint, over `samples` sequential requests. */
export async function countStatementsPerRequest(
  baseUrl: string,
  endpoints: Endpoint[],
  counter: StatementCounter,
  samples = 8,
): Promise<Record<string, { median: number; max: number; statuses: number[] }>> {
  const counts: Record<string, { median: number; max: number; statuses: number[] }> = {};
  for (const endpoint of endpoints) {
    await send(baseUrl, endpoint); // warm: first-use work (connections, prepared statements) is not per request
    const perRequest: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < samples; i++) {
      await settle();
      const before = counter.statements();
      statuses.push(await send(baseUrl, endpoint));
      await settle(); // work the handler left running after its response (e.g. a history purge)
      perRequest.push(counter.statements() - before);
    }
    counts[endpoint.name] = { median: percentile(perRequest, 50), max: Math.max(...perRequest), statuses: [...new Set(statuses)] };
  }
  return counts;
}

async function send(baseUrl: string, endpoint: Endpoint) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${endpoint.token}`,
    accept: endpoint.accept ?? "application/json",
  };
  const body = endpoint.body?.();
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl}${endpoint.path()}`, { method: endpoint.method, headers, body });
  await res.arrayBuffer();
  return res.status;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
