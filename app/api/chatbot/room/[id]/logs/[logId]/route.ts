import { apiRoute } from "@/lib/api/handler";
import { MAX_MESSAGE_BODY_BYTES, parseId, readJsonBody } from "@/lib/api/request";
import { respondWithTurn } from "@/lib/api/reply-response";
import { messageEditBody } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { editUserLog, findLogInRoom } from "@/lib/rooms";

export const dynamic = "force-dynamic";

const notEditable = () => new ApiError("bad_request", "Only your own messages can be edited.");

/**
 * PATCH /api/chatbot/room/{id}/logs/{log_id}/ (docs/chat-turn.md#edit): in the room's turn, the
 * user's message gets its new text, every later log is deleted and the history invalidated
 * (one transaction), and the message is answered again — SSE or JSON, as /messages/.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async PATCH({ user, params, req }) {
    const roomId = parseId(params.id);
    const logId = parseId(params.logId);
    const found = await findLogInRoom({ roomId, userId: user.id, logId });
    if (!found) throw ApiError.notFound();
    const body = await readJsonBody(req, MAX_MESSAGE_BODY_BYTES);
    return respondWithTurn({
      req,
      userId: user.id,
      roomId,
      operation: `edit:${roomId}:${logId}`,
      body,
      // Checked after a replay is ruled out: a repeat of an edit whose log a later edit removed still gets its answer.
      parse: () => {
        if (!found.log) throw ApiError.notFound();
        if (found.log.role !== "user") throw notEditable();
        return validate(messageEditBody, body).message;
      },
      start: async (message) => {
        const edited = await editUserLog({ roomId, userId: user.id, logId, message });
        if (edited === "not_user_log") return notEditable();
        return edited && { room: edited.room, userLog: edited.userLog };
      },
    });
  },
}, { rateLimit: "messages" }); // it asks for a reply: RATE_LIMIT_MESSAGES_PER_MINUTE
