import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake GitHub (or GitHub Enterprise Server) speaking the OAuth web flow the way GitHub
 * does, for the OAuth tests: the app is started with GITHUB_URL / GITHUB_API_URL pointing
 * here. The test says who "is signed in to GitHub" (`signInAs`); the authorize endpoint then
 * approves at once and redirects back with a code, as GitHub does for an app already granted.
 *
 * - `GET  /login/oauth/authorize?client_id&redirect_uri&state&scope` → 302 redirect_uri?code&state
 * - `POST /login/oauth/access_token` (client_secret_basic or in the form) → JSON access token
 * - `GET  /api/v3/user` (Bearer or `token`) → the profile (`email`: the public email, often null)
 * - `GET  /api/v3/user/emails` → `[{email, primary, verified, visibility}]`
 */
export type GitHubIdentity = {
  id: number;
  login: string;
  name?: string;
  /** The account's emails; GitHub marks one primary and says which are verified. */
  emails: { email: string; primary?: boolean; verified: boolean }[];
  publicEmail?: string | null;
};

export type FakeGitHub = {
  url: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  signInAs: (identity: GitHubIdentity) => void;
  close: () => Promise<void>;
};

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const clientId = "fake-client-id";
  const clientSecret = crypto.randomBytes(12).toString("hex");
  let current: GitHubIdentity | undefined;
  const codes = new Map<string, { identity: GitHubIdentity; redirectUri: string }>();
  const tokens = new Map<string, GitHubIdentity>();

  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    let raw = "";
    for await (const chunk of req) raw += chunk;

    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const redirectUri = url.searchParams.get("redirect_uri");
      if (url.searchParams.get("client_id") !== clientId || !redirectUri) return json(res, 400, { error: "bad client" });
      if (!current) return json(res, 401, { error: "nobody is signed in to the fake GitHub" });
      const code = crypto.randomBytes(10).toString("hex");
      codes.set(code, { identity: current, redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      const state = url.searchParams.get("state");
      if (state) back.searchParams.set("state", state);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }

    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const form = new URLSearchParams(raw);
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
      const [id, secret] = basic
        ? Buffer.from(basic[1]!, "base64").toString().split(":").map(decodeURIComponent)
        : [form.get("client_id"), form.get("client_secret")];
      if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: "incorrect_client_credentials" });
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!grant || (form.get("redirect_uri") && form.get("redirect_uri") !== grant.redirectUri)) {
        return json(res, 200, { error: "bad_verification_code" }); // GitHub answers 200 here too
      }
      const token = `gho_${crypto.randomBytes(16).toString("hex")}`;
      tokens.set(token, grant.identity);
      return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }

    const path = url.pathname.replace(/^\/api\/v3/, "");
    if (req.method === "GET" && (path === "/user" || path === "/user/emails")) {
      const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      const identity = token ? tokens.get(token) : undefined;
      if (!identity) return json(res, 401, { message: "Bad credentials" });
      if (path === "/user/emails") {
        return json(
          res,
          200,
          identity.emails.map((e) => ({ email: e.email, primary: e.primary ?? false, verified: e.verified, visibility: null })),
        );
      }
      return json(res, 200, {
        id: identity.id,
        login: identity.login,
        name: identity.name ?? null,
        email: identity.publicEmail ?? null,
        avatar_url: null,
      });
    }
    json(res, 404, { message: "Not Found" });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/v3`,
    clientId,
    clientSecret,
    signInAs: (identity) => {
      current = identity;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
