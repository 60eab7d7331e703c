import { apiRoute, json, noContent, type AuthedContext } from "@/lib/api/handler";
import { parseId, readJsonBody } from "@/lib/api/request";
import { feedbackBody } from "@/lib/api/schemas";
import { logJson } from "@/lib/serializers";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { findLogInRoom, setReplyFeedback } from "@/lib/rooms";

const notAReply = () => new ApiError("bad_request", "Only replies can be rated.");

/** PUT · DELETE /api/chatbot/room/{id}/logs/{log_id}/feedback/ — 👍/👎 on a reply (docs/api.md#feedback). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async PUT({ user, params, req }) {
    const target = await ratedLog({ user, params });
    const body = validate(feedbackBody, await readJsonBody(req));
    return json(logJson(await rate(target, body.rating, body.comment ?? null)));
  },

  async DELETE({ user, params }) {
    await rate(await ratedLog({ user, params }), null, null);
    return noContent();
  },
});

/** The path's reply: 404 before 400, so a stranger learns nothing about the log, not even its role. */
async function ratedLog({ user, params }: Pick<AuthedContext, "user" | "params">) {
  const target = { roomId: parseId(params.id), logId: parseId(params.logId), userId: user.id };
  const found = await findLogInRoom(target);
  if (!found?.log) throw ApiError.notFound();
  if (found.log.role !== "bot") throw notAReply();
  return target;
}

async function rate(target: { roomId: number; logId: number; userId: number }, rating: "up" | "down" | null, comment: string | null) {
  const log = await setReplyFeedback({ ...target, rating, comment });
  if (log === "not_a_reply") throw notAReply();
  if (!log) throw ApiError.notFound(); // deleted meanwhile
  return log;
}
