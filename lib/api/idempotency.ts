import "server-only";
import crypto from "node:crypto";
import type { LogJson } from "@/lib/serializers";
import { ApiError } from "@/lib/errors";
import { followRoom, LEASE_MS } from "@/lib/replies/coordinator";
import { replyStores, warnShared } from "@/lib/replies/index";
import type { ReplyEvent, ReplyStore } from "@/lib/replies/store";
import { outcomeOf, sseResponse, type TurnOutcome } from "./reply-response";

/**
 * `Idempotency-Key` (docs/chat-turn.md#replies-that-outlive-the-request), with Stripe's semantics: the first request with a key runs;
 * a repeat by the same user within 24 h does nothing new and gets the first one's result
 * (JSON: its status and body, waiting for it if it is still running; SSE: the turn followed
 * like /stream/, or `user` then `done` replayed). A request that failed before it started
 * (validation, 404, 429) saves nothing, so it can be retried with the same key. The same key
 * with another request → 422.
 *
 * Records live in the reply store (Redis when configured, with a 24 h expiry; in-process
 * otherwise), under a hash of the key: `kv:idem:<user id>:<sha256>`.
 */
const RECORD_TTL_MS = 24 * 3600 * 1000;
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

type Pending = { fp: string; state: "pending" };
type Started = { fp: string; state: "started"; user: LogJson };
type Finished = { fp: string; state: "done"; outcome: TurnOutcome; user?: LogJson; terminal?: ReplyEvent };
type IdempotencyRecord = Pending | Started | Finished;

export type Idempotency = {
  /** The repeat's answer, when this key was seen before. */
  replay?: () => Promise<Response>;
  /** For the first request: call with the request's outcome (or its events) to save it. */
  record?: Recorder;
};

export class Recorder {
  private writing: Promise<void> = Promise.resolve();
  private renewal: NodeJS.Timeout | undefined;
  private user: LogJson | undefined;

  constructor(
    private readonly store: ReplyStore,
    private readonly key: string,
    private readonly fp: string,
  ) {
    // Pending records carry a lease, so a process that dies before the turn starts frees the key.
    this.renewal = setInterval(() => this.write({ fp, state: "pending" }, LEASE_MS), LEASE_MS / 3);
    this.renewal.unref?.();
  }

  /** The request failed before it started: nothing is saved, the key may be used again. */
  forget() {
    clearInterval(this.renewal);
    this.writing = this.writing.then(() => this.store.delete(this.key).catch(warnShared));
  }

  /** A reply's event (docs/chat-turn.md#replies-that-outlive-the-request): `user` starts the turn, a terminal event ends it. */
  onEvent = (event: ReplyEvent) => {
    if (event.type === "user") {
      clearInterval(this.renewal);
      this.user = event.log;
      this.write({ fp: this.fp, state: "started", user: event.log }, RECORD_TTL_MS);
    } else if (event.type === "done" || event.type === "error") {
      clearInterval(this.renewal);
      if (!this.user) return this.forget(); // it never started (room deleted, busy): not saved
      const outcome: TurnOutcome =
        event.type === "done"
          ? { status: 201, body: { user: this.user, bot: event.log } }
          : { status: event.status, body: { detail: event.detail } };
      this.write({ fp: this.fp, state: "done", outcome, user: this.user, terminal: event }, RECORD_TTL_MS);
    }
  };

  /** A request without a turn (POST /room/): its response is the outcome. */
  finish(outcome: TurnOutcome) {
    clearInterval(this.renewal);
    this.write({ fp: this.fp, state: "done", outcome }, RECORD_TTL_MS);
    return this.writing;
  }

  private write(record: IdempotencyRecord, ttlMs: number) {
    this.writing = this.writing.then(() => this.store.set(this.key, JSON.stringify(record), ttlMs).catch(warnShared));
  }
}

/**
 * Looks up the request's `Idempotency-Key`. No header → `{}` (run as usual). `endpoint`
 * and `body` make the request's fingerprint.
 */
export async function idempotency(params: {
  req: Request;
  userId: number;
  endpoint: string;
  body?: unknown;
  roomId?: number;
}): Promise<Idempotency> {
  const header = params.req.headers.get("idempotency-key");
  if (header === null) return {};
  if (!KEY_PATTERN.test(header)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1 to 255 printable ASCII characters.");
  }
  const key = `idem:${params.userId}:${sha256(header)}`;
  const fp = sha256(`${params.endpoint}\n${canonicalJson(params.body ?? null)}`);
  const { local, shared } = replyStores();
  let store = shared ?? local;

  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    let found: IdempotencyRecord | undefined;
    try {
      if (await store.setIfAbsent(key, JSON.stringify({ fp, state: "pending" } satisfies Pending), LEASE_MS)) {
        return { record: new Recorder(store, key, fp) };
      }
      const raw = await store.get(key);
      found = raw ? (JSON.parse(raw) as IdempotencyRecord) : undefined;
    } catch (error) {
      if (store === local) throw error;
      warnShared(error);
      store = local; // Redis unreachable: this process's records only
      continue;
    }
    if (!found) continue; // expired between the two calls
    if (found.fp !== fp) throw new ApiError("unprocessable", "Idempotency-Key reused with a different request.");
    if (found.state !== "pending") {
      const record = found;
      const wantsSse = (params.req.headers.get("accept") ?? "").includes("text/event-stream");
      return { replay: () => replay(store, key, record, wantsSse, params.roomId) };
    }
    // The first request is waiting for its turn: wait with it (JSON mode's promise).
    if (Date.now() > deadline || params.req.signal.aborted) {
      throw new ApiError("conflict", "A request with this Idempotency-Key is still in progress.");
    }
    await sleep(200);
  }
}

async function replay(
  store: ReplyStore,
  key: string,
  record: Started | Finished,
  wantsSse: boolean,
  roomId: number | undefined,
): Promise<Response> {
  const headers = { "Idempotent-Replayed": "true" };
  let current: Started | Finished = record;
  const deadline = Date.now() + 3_000;
  while (current.state === "started") {
    const following = roomId === undefined ? undefined : await followRoom(roomId);
    if (following && following.snapshot.user.id === current.user.id) {
      if (wantsSse) return withHeaders(sseResponse(following.events, { snapshot: following.snapshot }), headers);
      const outcome = await outcomeOf(following.events, current.user);
      return Response.json(outcome.body, { status: outcome.status, headers });
    }
    // Not running (any more): its result is being saved, or its server died mid-reply.
    if (Date.now() > deadline) {
      const interrupted: ReplyEvent = { type: "error", detail: "The reply was interrupted. Send the message again.", status: 503 };
      current = { fp: current.fp, state: "done", user: current.user, terminal: interrupted, outcome: { status: 503, body: { detail: interrupted.detail } } };
      break;
    }
    await sleep(200);
    const raw = await store.get(key).catch(() => undefined);
    if (raw) current = JSON.parse(raw) as Started | Finished;
  }
  const finished = current as Finished;
  if (wantsSse && finished.user && finished.terminal) {
    const events: ReplyEvent[] = [{ type: "user", log: finished.user }, finished.terminal];
    return withHeaders(sseResponse(fromArray(events)), headers);
  }
  return Response.json(finished.outcome.body, { status: finished.outcome.status, headers });
}

async function* fromArray<T>(items: T[]) {
  yield* items;
}

function withHeaders(res: Response, headers: Record<string, string>) {
  for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  return res;
}

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON with sorted object keys: `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
