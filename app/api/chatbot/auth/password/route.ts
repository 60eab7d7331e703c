import { apiRoute, noContent } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/request";
import { passwordChangeBody } from "@/lib/api/schemas";
import { validate } from "@/lib/api/validation";
import { renewedSessionCookie, serializeSessionCookie } from "@/lib/auth/session";
import { changePassword } from "@/lib/users";

/**
 * POST /api/chatbot/auth/password/ — change the password (docs/security.md). Every other session
 * ends and every API token is deleted; a caller signed in with the session cookie gets a
 * renewed cookie and stays signed in (a token caller's token is gone with the others).
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({
  async POST({ user, via, req }) {
    const body = validate(passwordChangeBody, await readJsonBody(req));
    const { sessionVersion } = await changePassword(user, { oldPassword: body.old_password, newPassword: body.new_password });
    const res = noContent();
    const cookie = via === "session" ? await renewedSessionCookie(req.cookies, sessionVersion) : undefined;
    if (cookie) res.headers.append("Set-Cookie", serializeSessionCookie(cookie));
    return res;
  },
});
