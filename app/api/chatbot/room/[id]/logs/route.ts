import { conditionalJson, etagOf, knownTags, renderedJson } from "@/lib/api/etag";
import { apiRoute, keyedRead } from "@/lib/api/handler";
import { linkHeader, parseId, queryObject } from "@/lib/api/request";
import { logsQuery } from "@/lib/api/schemas";
import { logJson } from "@/lib/serializers";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { listLogsForRoom, renderLogsOfRoom } from "@/lib/rooms";

/** GET /api/chatbot/room/{id}/logs/ — ascending; keyset pages with `limit` + `before`/`after`. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  GET: keyedRead(async ({ caller, user, params, url, req }) => {
    const roomId = parseId(params.id);
    const query = validate(logsQuery, queryObject(url));
    if (query.before !== undefined && query.after !== undefined) {
      throw ApiError.validation({ non_field_errors: ["Use either before or after, not both."] });
    }
    if (query.limit === undefined && query.before === undefined && query.after === undefined) {
      // Every log, as old clients ask: rendered by Postgres (lib/rooms/rendered.ts).
      return renderedJson(req, await renderLogsOfRoom({ roomId, caller, known: knownTags(req) }));
    }
    const page = await listLogsForRoom({ roomId, userId: (await user()).id, ...query });
    if (page === undefined) throw ApiError.notFound();
    if (page === "unknown_anchor") {
      throw ApiError.validation({ [query.before !== undefined ? "before" : "after"]: ["No log with this id in this room."] });
    }
    const limit = String(query.limit ?? 50);
    const first = page.logs[0];
    const last = page.logs.at(-1);
    const link = linkHeader(url, {
      prev: page.hasOlder && first ? { limit, before: String(first.id) } : undefined,
      next: page.hasNewer && last ? { limit, after: String(last.id) } : undefined,
    });
    const etag = etagOf([page.logs, page.hasOlder, page.hasNewer, limit]);
    return conditionalJson(req, etag, () => page.logs.map(logJson), link ? { Link: link } : {});
  }),
});
