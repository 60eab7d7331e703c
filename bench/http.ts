/** Minimal JSON client for the app's REST API (docs/api.md), used for setup and single timings. */
export type ApiUser = { id: number; email: string; token: string };

export async function api(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; accept?: string } = {},
): Promise<{ status: number; json: any; text: string }> {
  const headers: Record<string, string> = { accept: options.accept ?? "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl}/api/chatbot${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Registers a user and mints an API token through the API, so hash and token are real. */
export async function registerUser(baseUrl: string, tag: string): Promise<ApiUser> {
  const email = `${tag}-${Date.now().toString(36)}@bench.local`;
  const password = "bench password 1234";
  const reg = await api(baseUrl, "POST", "/auth/register/", { body: { email, password, name: tag } });
  if (reg.status !== 201) throw new Error(`register ${tag}: ${reg.status} ${reg.text}`);
  const tok = await api(baseUrl, "POST", "/auth/token/", { body: { email, password, name: "bench" } });
  if (tok.status !== 201) throw new Error(`token ${tag}: ${tok.status} ${tok.text}`);
  return { id: reg.json.id, email, token: tok.json.token };
}
