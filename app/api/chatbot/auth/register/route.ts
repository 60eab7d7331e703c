import { json, publicApiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/request";
import { registerBody } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { createUser } from "@/lib/users";

/** POST /api/chatbot/auth/register/ — create an account (off when ALLOW_REGISTRATION=false). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = publicApiRoute({
  async POST({ req }) {
    if (!env().ALLOW_REGISTRATION) throw new ApiError("forbidden", "Registration is disabled on this server.");
    const body = validate(registerBody, await readJsonBody(req));
    const user = await createUser(body);
    return json(user, { status: 201 });
  },
}, { rateLimit: "auth" }); // per client IP
