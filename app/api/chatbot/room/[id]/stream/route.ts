import { apiRoute, noContent } from "@/lib/api/handler";
import { parseId } from "@/lib/api/request";
import { sseResponse } from "@/lib/api/reply-response";
import { ApiError } from "@/lib/errors";
import { followRoom } from "@/lib/replies/coordinator";
import { getRoomForUser } from "@/lib/rooms";

export const dynamic = "force-dynamic";

/**
 * GET /api/chatbot/room/{id}/stream/ (docs/chat-turn.md#replies-that-outlive-the-request): the reply in progress in the room, from any
 * instance — `snapshot` {user, text} then delta / title / done / error. 204 when idle.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user, params, req }) {
    const roomId = parseId(params.id);
    if (!(await getRoomForUser({ roomId, userId: user.id }))) throw ApiError.notFound();
    if (req.method === "HEAD") return noContent();
    const following = await followRoom(roomId);
    if (!following) return noContent();
    return sseResponse(following.events, { snapshot: following.snapshot });
  },
});
