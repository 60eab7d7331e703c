/**
 * What a browser does with cookies and redirects, over plain HTTP: for tests that drive
 * next-auth's flows (credentials, OAuth) and then act as the signed-in user.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  keep(res: Response) {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  has(pattern: RegExp) {
    return [...this.cookies.keys()].some((name) => pattern.test(name));
  }

  /** One request with the jar's cookies; redirects are returned, not followed. */
  async fetch(url: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.header());
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.keep(res);
    return res;
  }

  /** POSTs a form to next-auth the way next-auth/react does (`json: true` → `{url}`). */
  async postForm(url: string, fields: Record<string, string>, origin: string) {
    return this.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams({ ...fields, json: "true" }),
    });
  }

  async csrfToken(baseUrl: string) {
    const res = await this.fetch(`${baseUrl}/api/auth/csrf`);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }
}

export const hasSession = (jar: CookieJar) => jar.has(/next-auth\.session-token/);

/** Signs in with email and password through next-auth's credentials provider. */
export async function signInWithPassword(baseUrl: string, email: string, password: string, jar = new CookieJar()) {
  const csrfToken = await jar.csrfToken(baseUrl);
  const res = await jar.postForm(`${baseUrl}/api/auth/callback/credentials`, { email, password, csrfToken, callbackUrl: "/chat" }, baseUrl);
  if (!hasSession(jar)) throw new Error(`password sign-in failed: ${res.status} ${await res.text()}`);
  return jar;
}

/** The signed-in user as the API sees the session cookie, or the status when there is none. */
export async function whoAmI(baseUrl: string, jar: CookieJar) {
  const res = await jar.fetch(`${baseUrl}/api/chatbot/auth/me/`);
  return res.status === 200 ? ((await res.json()) as { id: number; email: string }) : res.status;
}
