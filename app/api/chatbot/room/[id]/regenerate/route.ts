import { apiRoute } from "@/lib/api/handler";
import { parseId } from "@/lib/api/request";
import { acquireStreamSlot } from "@/lib/chat/limits";
import { respondToTurn } from "@/lib/chat/respond";
import { prepareRegeneration } from "@/lib/chat/turn";
import { ApiError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * POST /api/chatbot/room/{id}/regenerate/ — replaces the last reply: the last bot log is
 * deleted and the last user message is answered again (SSE or JSON, as /messages/).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, params, req }) {
    const roomId = parseId(params.id);
    const release = acquireStreamSlot(user.id);
    try {
      const prepared = await prepareRegeneration({ userId: user.id, roomId });
      if (prepared === undefined) throw ApiError.notFound();
      if (prepared === "nothing_to_regenerate") {
        throw ApiError.validation({ non_field_errors: ["There is no message to answer again in this room."] });
      }
      return await respondToTurn({ req, room: prepared.room, userLog: prepared.userLog, release });
    } catch (error) {
      release();
      throw error;
    }
  },
}, { rateLimit: "messages" }); // RATE_LIMIT_MESSAGES_PER_MINUTE, not the writes limit
