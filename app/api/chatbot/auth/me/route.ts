import { z } from "zod";
import { apiRoute, json, noContent } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/request";
import { validate } from "@/lib/api/validation";
import { ApiError } from "@/lib/errors";
import { confirmPassword, deleteUser } from "@/lib/users";

const deleteBody = z.object({ password: z.string({ error: "This field is required." }).max(256) });

/**
 * GET /api/chatbot/auth/me/ — the caller. DELETE — deletes the account with its rooms, logs,
 * histories and tokens; every session and token stops working at once (docs/security.md). Accounts
 * with a password must confirm it, so a stolen token alone cannot destroy one.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async GET({ user }) {
    return json({ id: user.id, email: user.email, name: user.name });
  },

  async DELETE({ user, req }) {
    if (user.passwordHash) {
      const { password } = validate(deleteBody, await readJsonBody(req));
      // Counts toward the account's failed-password limit, like every password check.
      if (!(await confirmPassword(user, password))) {
        throw ApiError.validation({ password: ["The password is not correct."] });
      }
    }
    if (!(await deleteUser(user.id))) throw ApiError.notFound();
    return noContent();
  },
});
