import { apiRoute } from "@/lib/api/handler";
import { parseId } from "@/lib/api/request";
import { respondWithTurn } from "@/lib/api/reply-response";
import { prepareRegeneration } from "@/lib/chat/turn";
import { ApiError } from "@/lib/errors";
import { lastUserLogOfRoom } from "@/lib/rooms";

export const dynamic = "force-dynamic";

const nothingToAnswer = () => ApiError.validation({ non_field_errors: ["There is no message to answer again in this room."] });

/**
 * POST /api/chatbot/room/{id}/regenerate/ — replaces the last reply: in the room's turn, the
 * last bot log is deleted and the last user message is answered again (SSE or JSON, as /messages/).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, params, req }) {
    const roomId = parseId(params.id);
    const last = await lastUserLogOfRoom({ roomId, userId: user.id });
    if (last === undefined) throw ApiError.notFound();
    return respondWithTurn({
      req,
      userId: user.id,
      roomId,
      operation: `regenerate:${roomId}`,
      parse: () => {
        if (last === null) throw nothingToAnswer();
      },
      start: async () => {
        const prepared = await prepareRegeneration({ userId: user.id, roomId });
        if (prepared === "nothing_to_regenerate") return nothingToAnswer();
        return prepared;
      },
    });
  },
}, { rateLimit: "messages" }); // RATE_LIMIT_MESSAGES_PER_MINUTE, not the writes limit
