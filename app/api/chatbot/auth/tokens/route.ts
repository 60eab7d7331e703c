import { apiRoute, json } from "@/lib/api/handler";
import { tokenJson } from "@/lib/serializers";
import { listApiTokens } from "@/lib/tokens";

/** GET /api/chatbot/auth/tokens/ — the caller's tokens, without secrets. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user }) {
    return json((await listApiTokens(user.id)).map(tokenJson));
  },
});
