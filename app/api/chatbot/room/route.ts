import { conditionalJson, etagOf, knownTags, renderedJson } from "@/lib/api/etag";
import { apiRoute, json, keyedRead } from "@/lib/api/handler";
import { linkHeader, queryObject, readJsonBody } from "@/lib/api/request";
import { roomCreateBody, roomsQuery } from "@/lib/api/schemas";
import { roomJson } from "@/lib/serializers";
import { validate } from "@/lib/api/validation";
import { idempotency } from "@/lib/api/idempotency";
import { ApiError } from "@/lib/errors";
import { createRoom, decodeRoomCursor, encodeRoomCursor, listRoomsForUser, renderRoomsOfUser, renderRoomsPage } from "@/lib/rooms";

/** GET /api/chatbot/room/ · POST /api/chatbot/room/ (docs/api.md) */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: keyedRead(async ({ caller, user, url, req }) => {
    const query = validate(roomsQuery, queryObject(url));
    const cursor = query.cursor === undefined ? undefined : decodeRoomCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) throw ApiError.validation({ cursor: ["Invalid cursor."] });
    if (query.q === undefined && query.limit === undefined && query.cursor === undefined) {
      // Every room, as old clients ask: rendered by Postgres (lib/rooms/rendered.ts).
      return renderedJson(req, await renderRoomsOfUser({ caller, archived: query.archived ?? false, known: knownTags(req) }));
    }
    if (query.q === undefined && query.limit !== undefined) {
      // A page of them: rendered by Postgres too.
      const page = await renderRoomsPage({ caller, archived: query.archived ?? false, limit: query.limit, cursor, known: knownTags(req) });
      if (page === "unauthenticated") throw ApiError.invalidToken();
      const link = linkHeader(url, {
        next: page.next && { cursor: encodeRoomCursor(page.next) },
        prev: page.prev && { cursor: encodeRoomCursor(page.prev) },
      });
      return renderedJson(req, page, link ? { Link: link } : {});
    }
    const page = await listRoomsForUser({ userId: (await user()).id, archived: query.archived, q: query.q, limit: query.limit, cursor });
    const link = linkHeader(url, {
      next: page.next && { cursor: encodeRoomCursor(page.next) },
      prev: page.prev && { cursor: encodeRoomCursor(page.prev) },
    });
    const etag = etagOf([page.rooms, link]);
    return conditionalJson(req, etag, () => page.rooms.map(roomJson), link ? { Link: link } : {});
  }),

  async POST({ user, req }) {
    const raw = await readJsonBody(req);
    // docs/chat-turn.md#replies-that-outlive-the-request: a retried create with the same Idempotency-Key gets the first room back.
    const idem = await idempotency({ req, userId: user.id, endpoint: "rooms", body: raw });
    if (idem.replay) return idem.replay();
    try {
      const body = validate(roomCreateBody, raw);
      const room = await createRoom({ userId: user.id, title: body.title, model: body.model, systemPrompt: body.system_prompt });
      await idem.record?.finish({ status: 201, body: roomJson(room) });
      return json(roomJson(room), { status: 201 });
    } catch (error) {
      idem.record?.forget();
      throw error;
    }
  },
});
