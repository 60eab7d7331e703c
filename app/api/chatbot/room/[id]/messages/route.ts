import { apiRoute } from "@/lib/api/handler";
import { MAX_MESSAGE_BODY_BYTES, parseId, readJsonBody } from "@/lib/api/request";
import { respondWithTurn } from "@/lib/api/reply-response";
import { messageBody } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { storeUserMessage } from "@/lib/chat/turn";
import { ApiError } from "@/lib/errors";
import { getRoomForUser } from "@/lib/rooms";

export const dynamic = "force-dynamic";

/**
 * POST /api/chatbot/room/{id}/messages/ (docs/chat-turn.md): the message waits for its room's
 * turn, is stored when the turn begins, and is answered; `Idempotency-Key` makes a retry safe.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, params, req }) {
    const roomId = parseId(params.id);
    if (!(await getRoomForUser({ roomId, userId: user.id }))) throw ApiError.notFound();
    const body = await readJsonBody(req, MAX_MESSAGE_BODY_BYTES);
    return respondWithTurn({
      req,
      userId: user.id,
      roomId,
      operation: `messages:${roomId}`,
      body,
      parse: () => validate(messageBody, body).message,
      start: async (message) => {
        const stored = await storeUserMessage({ userId: user.id, roomId, message });
        return stored && { room: stored.room, userLog: stored.log };
      },
    });
  },
}, { rateLimit: "messages" }); // RATE_LIMIT_MESSAGES_PER_MINUTE, not the writes limit
