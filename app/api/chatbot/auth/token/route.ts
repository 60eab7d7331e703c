import { json, publicApiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/request";
import { tokenCreateBody } from "@/lib/api/schemas";
import { tokenJson } from "@/lib/serializers";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { createApiToken } from "@/lib/tokens";
import { authenticateUser } from "@/lib/users";

/** POST /api/chatbot/auth/token/ — mint a personal API token; the token is shown once. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = publicApiRoute({
  async POST({ req }) {
    const body = validate(tokenCreateBody, await readJsonBody(req));
    const user = await authenticateUser(body.email, body.password);
    if (!user) throw ApiError.validation({ non_field_errors: ["Unable to log in with provided credentials."] });
    const { token, ...row } = await createApiToken(user.id, body.name ?? "");
    const { last_used_at: _unused, ...shown } = tokenJson(row);
    return json({ ...shown, token }, { status: 201 });
  },
}, { rateLimit: "auth" }); // per client IP
