import { apiRoute } from "@/lib/api/handler";
import { MAX_MESSAGE_BODY_BYTES, parseId, readJsonBody } from "@/lib/api/request";
import { messageBody } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { acquireStreamSlot } from "@/lib/chat/limits";
import { respondToTurn } from "@/lib/chat/respond";
import { storeUserMessage } from "@/lib/chat/turn";
import { ApiError } from "@/lib/errors";
import { getRoomForUser } from "@/lib/rooms";

export const dynamic = "force-dynamic";

/** POST /api/chatbot/room/{id}/messages/ (SPEC §6): store the message, then answer it. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, params, req }) {
    const roomId = parseId(params.id);
    if (!(await getRoomForUser({ roomId, userId: user.id }))) throw ApiError.notFound();
    const { message } = validate(messageBody, await readJsonBody(req, MAX_MESSAGE_BODY_BYTES));
    const release = acquireStreamSlot(user.id);
    try {
      const stored = await storeUserMessage({ userId: user.id, roomId, message });
      if (!stored) throw ApiError.notFound(); // deleted between the check and the write
      return await respondToTurn({ req, room: stored.room, userLog: stored.log, release });
    } catch (error) {
      release();
      throw error;
    }
  },
}, { rateLimit: "messages" }); // RATE_LIMIT_MESSAGES_PER_MINUTE, not the writes limit
