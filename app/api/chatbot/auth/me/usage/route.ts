import { apiRoute, json } from "@/lib/api/handler";
import { queryObject } from "@/lib/api/request";
import { usageQuery } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { usageForUser } from "@/lib/usage";

/** GET /api/chatbot/auth/me/usage/?days=30 — the caller's replies and tokens per day and per model (docs/api.md#usage). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user, url }) {
    const { days } = validate(usageQuery, queryObject(url));
    return json(await usageForUser({ userId: user.id, days }));
  },
});
