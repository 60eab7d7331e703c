import { apiRoute, json } from "@/lib/api/handler";
import { parseId } from "@/lib/api/request";
import { ApiError } from "@/lib/errors";
import { stopRoom } from "@/lib/replies/coordinator";
import { getRoomForUser } from "@/lib/rooms";

export const dynamic = "force-dynamic";

/**
 * POST /api/chatbot/room/{id}/stop/ (docs/chat-turn.md#replies-that-outlive-the-request): stops the reply in progress wherever it
 * runs. 200 {"stopped": true, "bot": Log | null} once the partial reply is stored, or
 * {"stopped": false} when nothing was in progress (or it finished first).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, params }) {
    const roomId = parseId(params.id);
    if (!(await getRoomForUser({ roomId, userId: user.id }))) throw ApiError.notFound();
    const final = await stopRoom(roomId);
    if (final?.type === "done" && (final.log === null || final.log.stopped)) return json({ stopped: true, bot: final.log });
    return json({ stopped: false });
  },
});
