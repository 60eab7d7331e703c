import "server-only";
import { ApiError } from "@/lib/errors";

/**
 * next-auth v4 turns anything `authorize` throws into a 401 pointing at its error page,
 * with the error's message as `?error=`. A refusal that is not "wrong password" (the
 * account's failure limit: 429; argon2 saturated: 503) travels through it as that message,
 * and the route handler turns it back into the REST API's response, Retry-After included,
 * so the sign-in form can tell the user when to try again.
 */
const PREFIX = "Refused:";

export function refusalMessage(error: ApiError): string {
  return `${PREFIX}${error.status}:${error.headers["Retry-After"] ?? "1"}:${error.message}`;
}

/** The refusal carried by a next-auth credentials response, if it carries one. */
export async function refusalFromSignInResponse(res: Response): Promise<ApiError | undefined> {
  let target = res.headers.get("location");
  if (!target && (res.headers.get("content-type") ?? "").includes("application/json")) {
    const body = (await res.clone().json().catch(() => undefined)) as { url?: unknown } | undefined;
    if (typeof body?.url === "string") target = body.url;
  }
  if (!target) return undefined;
  let error: string | null;
  try {
    error = new URL(target, "http://localhost").searchParams.get("error");
  } catch {
    return undefined;
  }
  const match = error && /^Refused:(429|503):(\d+):(.*)$/s.exec(error);
  if (!match) return undefined;
  return new ApiError(match[1] === "429" ? "rate_limited" : "unavailable", match[3]!, {
    headers: { "Retry-After": match[2]! },
  });
}
