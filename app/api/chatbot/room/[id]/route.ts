import { knownTags, renderedJson } from "@/lib/api/etag";
import { apiRoute, json, keyedRead, noContent } from "@/lib/api/handler";
import { parseId, readJsonBody } from "@/lib/api/request";
import { roomPatchBody, roomUpdateBody } from "@/lib/api/schemas";
import { roomJson } from "@/lib/serializers";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { deleteRoom, getRoomForUser, renderRoomWithLogs, updateRoom } from "@/lib/rooms";
import type { AuthedContext } from "@/lib/api/handler";
import type { z } from "zod";

/** GET · PATCH · PUT · DELETE /api/chatbot/room/{id}/ (docs/api.md) */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: keyedRead(async ({ caller, params, req }) =>
    renderedJson(req, await renderRoomWithLogs({ roomId: parseId(params.id), caller, known: knownTags(req) })),
  ),

  PATCH: (ctx) => update(ctx, roomPatchBody),
  PUT: (ctx) => update(ctx, roomUpdateBody),

  async DELETE({ user, params }) {
    const deleted = await deleteRoom({ roomId: parseId(params.id), userId: user.id });
    if (!deleted) throw ApiError.notFound();
    return noContent();
  },
});

async function update({ user, params, req }: AuthedContext, schema: typeof roomPatchBody | typeof roomUpdateBody) {
  const roomId = parseId(params.id);
  // 404 before 400: a stranger learns nothing about a room, not even that a body was wrong.
  const existing = await getRoomForUser({ roomId, userId: user.id });
  if (!existing) throw ApiError.notFound();
  const body: z.output<typeof roomPatchBody> = validate(schema, await readJsonBody(req));
  const changes = {
    title: body.title,
    model: body.model,
    systemPrompt: body.system_prompt,
    pinned: body.pinned,
    archived: body.archived,
  };
  const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(given).length === 0) return json(roomJson(existing));
  const room = await updateRoom({ roomId, userId: user.id, changes: given });
  if (!room) throw ApiError.notFound();
  return json(roomJson(room));
}
