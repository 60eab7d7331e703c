import { apiRoute, json } from "@/lib/api/handler";
import { MAX_MESSAGE_BODY_BYTES, parseId, readJsonBody } from "@/lib/api/request";
import { messageBody } from "@/lib/api/schemas";
import { logJson, roomJson } from "@/lib/api/serializers";
import { validate } from "@/lib/api/validation";
import { acquireStreamSlot } from "@/lib/chat/limits";
import { answer, storeUserMessage } from "@/lib/chat/turn";
import { ApiError } from "@/lib/errors";
import { ModelError } from "@/lib/llm";
import { getRoomForUser } from "@/lib/rooms";

export const dynamic = "force-dynamic";

/**
 * POST /api/chatbot/room/{id}/messages/ (SPEC §6): stores the message, then answers it as
 * Server-Sent Events (`Accept: text/event-stream`) or as one `201 {user, bot}`.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, params, req }) {
    const roomId = parseId(params.id);
    if (!(await getRoomForUser({ roomId, userId: user.id }))) throw ApiError.notFound();
    const { message } = validate(messageBody, await readJsonBody(req, MAX_MESSAGE_BODY_BYTES));
    const release = acquireStreamSlot(user.id);
    let stored;
    try {
      stored = await storeUserMessage({ userId: user.id, roomId, message });
    } catch (error) {
      release();
      throw error;
    }
    if (!stored) {
      release();
      throw ApiError.notFound(); // deleted between the check and the write
    }
    const { room, log: userLog } = stored;

    // The model call is aborted when the client goes away; the partial reply is kept.
    const abort = new AbortController();
    req.signal.addEventListener("abort", () => abort.abort(), { once: true });

    if (!(req.headers.get("accept") ?? "").includes("text/event-stream")) {
      try {
        const result = await answer({ room, userLog, signal: abort.signal });
        if (result.status === "room_deleted") throw ApiError.notFound();
        if (result.status === "stopped") throw new ApiError("bad_request", "The reply was stopped.");
        return json({ user: logJson(userLog), bot: logJson(result.bot) }, { status: 201 });
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
        "Cache-Control": "no-cache, no-transform",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      },
    });
  },
});
