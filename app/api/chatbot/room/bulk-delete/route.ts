import { apiRoute, json } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/request";
import { bulkDeleteBody } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { deleteRoomsForUser } from "@/lib/rooms";

/**
 * POST /api/chatbot/room/bulk-delete/ (docs/api.md#bulk-delete). A static segment: Next routes
 * it before `room/[id]/`, so "bulk-delete" never reaches that route as an id.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, req }) {
    const body = validate(bulkDeleteBody, await readJsonBody(req));
    const deleted = await deleteRoomsForUser({ userId: user.id, roomIds: body.ids });
    return json({ deleted });
  },
});
