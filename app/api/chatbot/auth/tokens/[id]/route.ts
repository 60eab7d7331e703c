import { apiRoute, noContent } from "@/lib/api/handler";
import { parseId } from "@/lib/api/request";
import { ApiError } from "@/lib/errors";
import { deleteApiToken } from "@/lib/tokens";

/** DELETE /api/chatbot/auth/tokens/{id}/ — revoke one of the caller's tokens. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async DELETE({ user, params }) {
    if (!(await deleteApiToken(user.id, parseId(params.id)))) throw ApiError.notFound();
    return noContent();
  },
});
