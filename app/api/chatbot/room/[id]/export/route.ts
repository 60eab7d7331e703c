import { apiRoute } from "@/lib/api/handler";
import { parseId, queryObject } from "@/lib/api/request";
import { exportQuery } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { attachmentHeader, exportRoom } from "@/lib/portability/export";

const CONTENT_TYPE = { json: "application/json; charset=utf-8", md: "text/markdown; charset=utf-8" } as const;

/** GET /api/chatbot/room/{id}/export/?format=json|md — a download of the room (docs/api.md#export-and-import). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user, params, url }) {
    const roomId = parseId(params.id);
    const { format } = validate(exportQuery, queryObject(url));
    const found = await exportRoom({ roomId, userId: user.id, format });
    if (!found) throw ApiError.notFound();
    return new Response(found.stream, {
      headers: {
        "Content-Type": CONTENT_TYPE[format],
        "Content-Disposition": attachmentHeader({ title: found.room.title, fallback: `chat-${found.room.id}`, extension: format }),
      },
    });
  },
});
