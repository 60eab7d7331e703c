import crypto from "node:crypto";
import { request, uniqueEmail, type Client } from "./api";

/**
 * The REST helpers of ./api.ts for a server of one's own (a stack started by the test file,
 * not the suite's shared one). Accounts are created from a random X-Forwarded-For address so
 * that, on a stack that trusts a proxy hop (TRUST_PROXY_HOPS=1), they never use up the per-IP
 * auth limit that a test is measuring.
 */
export type Remote = ReturnType<typeof remote>;

export const randomIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

export function remote(baseUrl: string) {
  const url = (path: string) => (path.startsWith("http") ? path : `${baseUrl}/api/chatbot${path}`);
  type Options = Parameters<typeof request>[2];
  const call = (method: string, path: string, options?: Options) => request(method, url(path), options);

  async function newClient(tag = "user"): Promise<Client> {
    const email = uniqueEmail(tag);
    const password = "correct horse battery";
    const headers = { "x-forwarded-for": randomIp() };
    const reg = await call("POST", "/auth/register/", { body: { email, password, name: tag }, headers });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
    const tok = await call("POST", "/auth/token/", { body: { email, password, name: "tests" }, headers });
    if (tok.status !== 201) throw new Error(`token failed: ${tok.status} ${tok.text}`);
    return { email, password, token: tok.json.token, userId: reg.json.id, headers: { authorization: `Bearer ${tok.json.token}` } };
  }

  async function createRoom(client: Client, title?: string) {
    const res = await call("POST", "/room/", { token: client.token, body: title === undefined ? {} : { title } });
    if (res.status !== 201) throw new Error(`create room failed: ${res.status} ${res.text}`);
    return res.json as { id: number; user: number; title: string; created_at: string; updated_at: string };
  }

  const sendMessage = (client: Client, roomId: number, message: string) =>
    call("POST", `/room/${roomId}/messages/`, { token: client.token, body: { message }, headers: { accept: "application/json" } });

  /**
   * Signs in through next-auth's credentials provider as the browser does (CSRF token, then
   * the form post) and returns the session cookie as a `Cookie` header value.
   */
  async function signIn(client: Pick<Client, "email" | "password">, headers: Record<string, string> = {}) {
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!);
    const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
      body: new URLSearchParams({ email: client.email, password: client.password, csrfToken, json: "true" }),
    });
    const session = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .find((c) => c.startsWith("next-auth.session-token="));
    return { status: res.status, cookie: session };
  }

  return { baseUrl, url, request: call, newClient, createRoom, sendMessage, signIn };
}

/** Cuts (`false`) or restores (`true`) a stack's Redis or Postgres proxy. */
export async function setProxy(controlUrl: string | undefined, up: boolean) {
  if (!controlUrl) throw new Error("this stack has no such proxy");
  const res = await fetch(`${controlUrl}/${up ? "up" : "down"}`, { method: "POST" });
  if (!res.ok) throw new Error(`proxy control failed: ${res.status}`);
}
