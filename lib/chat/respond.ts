import "server-only";
import type { ChatLog, ChatRoom } from "@/db/schema";
import { logJson, roomJson } from "@/lib/api/serializers";
import { ApiError } from "@/lib/errors";
import { ModelError } from "@/lib/llm";
import { answer } from "./turn";

/**
 * Answers a stored user message over HTTP (SPEC §6.3): Server-Sent Events when the client
 * asks for `text/event-stream`, else one `201 {user, bot}` when the reply is complete.
 * The model call is aborted when the client goes away; the partial reply is kept.
 */
export async function respondToTurn(params: {
  req: Request;
  room: ChatRoom;
  userLog: ChatLog;
  release: () => void;
}): Promise<Response> {
  const { req, room, userLog, release } = params;
  const abort = new AbortController();
  req.signal.addEventListener("abort", () => abort.abort(), { once: true });

  if (!(req.headers.get("accept") ?? "").includes("text/event-stream")) {
    try {
      const result = await answer({ room, userLog, signal: abort.signal });
      if (result.status === "room_deleted") throw ApiError.notFound();
      if (result.status === "stopped") throw new ApiError("bad_request", "The reply was stopped.");
      return Response.json({ user: logJson(userLog), bot: logJson(result.bot) }, { status: 201 });
    } catch (error) {
      if (error instanceof ModelError) {
        throw new ApiError(error.status === 504 ? "gateway_timeout" : "bad_gateway", error.message);
      }
      throw error;
    } finally {
      release();
    }
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        if (abort.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          abort.abort(); // the stream was closed under us: the client is gone
        }
      };
      send("user", logJson(userLog));
      try {
        const result = await answer(
          { room, userLog, signal: abort.signal },
          { onDelta: (text) => send("delta", { text }), onTitle: (titled) => send("title", roomJson(titled)) },
        );
        if (result.status === "done") send("done", logJson(result.bot));
        else if (result.status === "room_deleted") send("error", { detail: "The room was deleted.", status: 404 });
      } catch (error) {
        if (error instanceof ModelError) send("error", { detail: error.message, status: error.status });
        else {
          console.error("[chat] turn failed:", error);
          send("error", { detail: "The reply could not be completed.", status: 500 });
        }
      } finally {
        release();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      }
    },
    cancel() {
      abort.abort();
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
