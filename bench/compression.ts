import http from "node:http";
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";
import { percentile } from "./stats";

/**
 * The big log answer with and without compression (issue 13): `next start` compresses a route
 * handler's answer itself (the `compression` package inside Next.js) when the client accepts
 * it. One GET, sequential requests on one kept-alive connection, per `Accept-Encoding`: none
 * (identity), `gzip`, and `br` and `deflate` when the server really answers with them. Through
 * `node:http`, not fetch: fetch decompresses and hides the size on the wire.
 */
export type Requested = "identity" | "gzip" | "br" | "deflate";

export type EncodingRun = {
  /** The request's `Accept-Encoding` (`identity`: the header left out). */
  requested: Requested;
  /** The answer's `Content-Encoding` (`identity`: none). */
  answered: string;
  /** Body bytes received: the sum of the raw chunks (no headers, no chunked framing). */
  wireBytes: number;
  /** The body decoded: the JSON's size in bytes. */
  decodedBytes: number;
  /** wireBytes / identity's wireBytes. */
  ratio: number;
  /** Request start → the answer's status line and headers, p50 ms. */
  ttfbMs: number;
  /** Request start → the body's last byte, p50 ms. */
  lastByteMs: number;
  samples: number;
};

export type CompressionResult = {
  path: string;
  /** Items of the decoded JSON array (checked on every answer). */
  items: number;
  samples: number;
  /** What the server compressed with, identity first. */
  runs: EncodingRun[];
  /** Asked for and not given (the answer's Content-Encoding instead): not measured. */
  declined: { requested: Requested; answered: string }[];
  /** The same GET with `If-None-Match: <identity's ETag>`. */
  notModified?: { status: number; wireBytes: number };
};

type Answer = { status: number; encoding: string; etag?: string; body: Buffer; ttfbMs: number; lastByteMs: number };

export async function measureCompression(params: {
  baseUrl: string;
  token: string;
  path: string;
  samples?: number;
  /** Items the decoded JSON array must have; anything else throws. */
  items?: number;
}): Promise<CompressionResult> {
  const { baseUrl, token, path } = params;
  const samples = params.samples ?? 10;
  const items = params.items ?? 10_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (headers: Record<string, string>) =>
    request(new URL(path, baseUrl), { authorization: `Bearer ${token}`, accept: "application/json", ...headers }, agent);
  try {
    const runs: EncodingRun[] = [];
    const declined: CompressionResult["declined"] = [];
    let etag: string | undefined;
    for (const requested of ["identity", "gzip", "br", "deflate"] as const) {
      const headers: Record<string, string> = requested === "identity" ? {} : { "accept-encoding": requested };
      // The warm-up, unmeasured, also says what the server answers to this header.
      const warmup = await get(headers);
      check(warmup, items, requested);
      if ((requested === "br" || requested === "deflate") && warmup.encoding !== requested) {
        declined.push({ requested, answered: warmup.encoding });
        continue;
      }
      const answers: Answer[] = [];
      for (let i = 0; i < samples; i++) {
        const answer = await get(headers);
        check(answer, items, requested);
        if (answer.encoding !== warmup.encoding) {
          throw new Error(`compression: ${requested} answered ${warmup.encoding}, then ${answer.encoding}`);
        }
        answers.push(answer);
      }
      if (requested === "identity") etag = warmup.etag;
      const wire = answers.map((a) => a.body.length);
      runs.push({
        requested,
        answered: warmup.encoding,
        wireBytes: Math.round(percentile(wire, 50)),
        decodedBytes: decode(answers[0]!).length,
        ratio: 0, // below, once identity is known
        ttfbMs: round(percentile(answers.map((a) => a.ttfbMs), 50)),
        lastByteMs: round(percentile(answers.map((a) => a.lastByteMs), 50)),
        samples: answers.length,
      });
    }
    const identity = runs.find((r) => r.requested === "identity")!;
    for (const run of runs) run.ratio = Math.round((run.wireBytes / identity.wireBytes) * 10_000) / 10_000;

    let notModified: CompressionResult["notModified"];
    if (etag) {
      const answer = await get({ "if-none-match": etag, "accept-encoding": "gzip" });
      notModified = { status: answer.status, wireBytes: answer.body.length };
    }
    return { path, items, samples, runs, declined, notModified };
  } finally {
    agent.destroy();
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function request(url: URL, headers: Record<string, string>, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { headers, agent }, (res) => {
      const ttfbMs = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const etag = res.headers.etag;
        resolve({
          status: res.statusCode ?? 0,
          encoding: String(res.headers["content-encoding"] ?? "identity").toLowerCase(),
          etag: typeof etag === "string" ? etag : undefined,
          body: Buffer.concat(chunks),
          ttfbMs,
          lastByteMs: performance.now() - started,
        });
      });
    });
    req.on("error", reject);
  });
}

function decode(answer: Answer): Buffer {
  switch (answer.encoding) {
    case "identity":
      return answer.body;
    case "gzip":
      return zlib.gunzipSync(answer.body);
    case "deflate":
      return zlib.inflateSync(answer.body);
    case "br":
      return zlib.brotliDecompressSync(answer.body);
    default:
      throw new Error(`compression: unknown Content-Encoding ${answer.encoding}`);
  }
}

/** A 200 whose decoded body is a JSON array of `items` items; throws otherwise. */
function check(answer: Answer, items: number, requested: Requested) {
  const what = `compression (${requested}, answered ${answer.encoding})`;
  if (answer.status !== 200) throw new Error(`${what}: HTTP ${answer.status} ${answer.body.subarray(0, 300).toString()}`);
  const parsed: unknown = JSON.parse(decode(answer).toString("utf8"));
  if (!Array.isArray(parsed)) throw new Error(`${what}: the answer is not a JSON array`);
  if (parsed.length !== items) throw new Error(`${what}: ${parsed.length} items, expected ${items}`);
}
