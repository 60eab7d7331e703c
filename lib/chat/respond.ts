import "server-only";
import type { LogJson } from "@/lib/api/serializers";
import { ApiError } from "@/lib/errors";
import type { Snapshot } from "@/lib/replies/live-reply";
import { isTerminal, type ReplyEvent } from "@/lib/replies/store";
import { trackStream } from "@/lib/shutdown";

/**
 * A reply's events over HTTP (docs/chat-turn.md#response-modes, §6a): Server-Sent Events when the client asks for
 * `text/event-stream`, else one JSON answer when the reply is over. The client going away
 * only ends its own response: the reply runs on (it belongs to the room).
 */
export const wantsEventStream = (req: Request) => (req.headers.get("accept") ?? "").includes("text/event-stream");

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
