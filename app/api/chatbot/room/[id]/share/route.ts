import { apiRoute, json, noContent } from "@/lib/api/handler";
import { parseId } from "@/lib/api/request";
import { shareJson } from "@/lib/serializers";
import { ApiError } from "@/lib/errors";
import { getShareForRoom, shareRoom, unshareRoom } from "@/lib/shares";

/**
 * GET · POST · DELETE /api/chatbot/room/{id}/share/ (docs/api.md#share-links): the room's
 * read-only public link. POST shares (201; 200 with the same link when already shared),
 * GET reads the link (404 when not shared), DELETE stops sharing (204, shared or not).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user, params }) {
    const share = await getShareForRoom({ roomId: parseId(params.id), userId: user.id });
    if (!share) throw ApiError.notFound();
    return json(shareJson(share));
  },

  async POST({ user, params }) {
    const result = await shareRoom({ roomId: parseId(params.id), userId: user.id });
    if (!result) throw ApiError.notFound();
    return json(shareJson(result.share), { status: result.created ? 201 : 200 });
  },

  async DELETE({ user, params }) {
    const existed = await unshareRoom({ roomId: parseId(params.id), userId: user.id });
    if (existed === undefined) throw ApiError.notFound();
    return noContent();
  },
});
