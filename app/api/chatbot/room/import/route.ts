import { apiRoute, json } from "@/lib/api/handler";
import { readJsonValue } from "@/lib/api/request";
import { roomJson } from "@/lib/serializers";
import { IMPORT_BODY_MAX_BYTES } from "@/lib/limits";
import { importConversations } from "@/lib/portability/import";

/**
 * POST /api/chatbot/room/import/ — our room or account export, or ChatGPT's conversations.json,
 * up to 20 MiB → 201 [Room…] (docs/api.md#export-and-import). A static segment beside `room/[id]/`.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, req }) {
    const body = await readJsonValue(req, IMPORT_BODY_MAX_BYTES);
    const rooms = await importConversations({ userId: user.id, body });
    return json(rooms.map(roomJson), { status: 201 });
  },
});
