import "server-only";
import { after } from "next/server";
import type { LogJson } from "@/lib/serializers";
import { acceptTurn, type AcceptedTurn, type TurnStart } from "@/lib/chat/room-turn";
import { ApiError } from "@/lib/errors";
import type { Snapshot } from "@/lib/replies/live-reply";
import { isTerminal, type ReplyEvent } from "@/lib/replies/store";
import { trackStream } from "@/lib/shutdown";
import { idempotency } from "./idempotency";

/**
 * A reply's events over HTTP (docs/chat-turn.md#response-modes, §6a): Server-Sent Events when the client asks for
 * `text/event-stream`, else one JSON answer when the reply is over. The client going away
 * only ends its own response: the reply runs on (it belongs to the room).
 */
const wantsEventStream = (req: Request) => (req.headers.get("accept") ?? "").includes("text/event-stream");

/**
 * The HTTP side of a turn (/messages/, /regenerate/, a log's edit): replays an
 * `Idempotency-Key` seen before, validates, accepts the turn (429 when the user has too many
 * replies in progress), then follows it as SSE or answers JSON when it is over. Everything
 * before the turn is accepted (validation, 404, 429) saves nothing, so the key can be retried.
 */
export async function respondWithTurn<Input>(params: {
  req: Request;
  userId: number;
  roomId: number;
  /** Names the operation for `Idempotency-Key`: the same key on another operation is a 422. */
  operation: string;
  /** The request body, fingerprinted with the key (none for a bodiless POST). */
  body?: unknown;
  /** Validates the request (throwing a 400) once it is known not to be a replay. */
  parse: () => Input;
  start: (input: Input) => ReturnType<TurnStart>;
}): Promise<Response> {
  const { req, userId, roomId } = params;
  const idem = await idempotency({ req, userId, endpoint: params.operation, body: params.body, roomId });
  if (idem.replay) return idem.replay();
  let accepted: AcceptedTurn;
  try {
    const input = params.parse();
    accepted = await acceptTurn({ userId, roomId, start: () => params.start(input), onEvent: idem.record?.onEvent });
  } catch (error) {
    idem.record?.forget();
    throw error;
  }
  // A server told to shut down (SIGTERM) finishes the reply before it exits, even when no
  // client is following it any more: Next waits for `after` work on close.
  after(accepted.reply.done().then(() => undefined));
  if (wantsEventStream(req)) return sseResponse(accepted.events);
  return outcomeResponse(await outcomeOf(accepted.events));
}

export function sseResponse(events: AsyncIterable<ReplyEvent>, options: { snapshot?: Snapshot } = {}): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let gone = false;
  const ended = trackStream(); // a graceful shutdown waits for it (lib/shutdown.ts)
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (gone) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          gone = true; // closed under us: the client went away
        }
      };
      if (options.snapshot) send("snapshot", options.snapshot);
      try {
        for (;;) {
          const { value, done } = await iterator.next();
          if (done || gone) break;
          sendEvent(send, value);
          if (isTerminal(value)) break;
        }
      } catch (error) {
        console.error("[chat] following a reply failed:", error);
        send("error", { detail: "The reply could not be followed.", status: 500 });
      } finally {
        await iterator.return?.();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
        ended();
      }
    },
    cancel() {
      gone = true;
      ended();
      void iterator.return?.(); // stop following; the reply itself goes on
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "private, no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}

function sendEvent(send: (event: string, data: unknown) => void, event: ReplyEvent) {
  switch (event.type) {
    case "user":
      return send("user", event.log);
    case "delta":
      return send("delta", { text: event.text });
    case "title":
      return send("title", event.room);
    case "done":
      return send("done", event.log);
    case "error":
      return send("error", { detail: event.detail, status: event.status });
  }
}

/** The outcome of a turn as JSON mode answers it: 201 {user, bot}, or the error's status. */
export type TurnOutcome = { status: number; body: unknown };

export async function outcomeOf(events: AsyncIterable<ReplyEvent>, user?: LogJson): Promise<TurnOutcome> {
  for await (const event of events) {
    if (event.type === "user") user = event.log;
    else if (event.type === "done") return { status: 201, body: { user, bot: event.log } };
    else if (event.type === "error") return { status: event.status, body: { detail: event.detail } };
  }
  return { status: 503, body: { detail: "The reply was interrupted." } };
}

export function outcomeResponse(outcome: TurnOutcome): Response {
  if (outcome.status >= 400) {
    const code = ({ 404: "not_found", 502: "bad_gateway", 504: "gateway_timeout", 503: "unavailable" } as const)[
      outcome.status as 404 | 502 | 503 | 504
    ];
    if (code) {
      const headers: Record<string, string> = outcome.status === 503 ? { "Retry-After": "5" } : {};
      throw new ApiError(code, (outcome.body as { detail: string }).detail, { headers });
    }
  }
  return Response.json(outcome.body, { status: outcome.status });
}
