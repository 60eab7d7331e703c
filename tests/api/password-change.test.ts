import { describe, expect, it } from "vitest";
import { baseUrl, newClient, request } from "../support/api";
import { remote } from "../support/remote";

// docs/security.md: POST /auth/password/ {old_password, new_password} changes the password, ends every
// other session and deletes every API token; the session that made the change stays signed in.

const NEW_PASSWORD = "a brand new password";
const mint = (email: string, password: string) => request("POST", "/auth/token/", { body: { email, password } });

describe("POST /auth/password/", () => {
  it("validates like registration: both fields required, the new one 8–256 characters", async () => {
    const user = await newClient("pw-validate");
    const missing = await request("POST", "/auth/password/", { token: user.token, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ old_password: ["This field is required."], new_password: ["This field is required."] });
    const short = await request("POST", "/auth/password/", { token: user.token, body: { old_password: user.password, new_password: "short" } });
    expect(short.status).toBe(400);
    expect(short.json).toEqual({ new_password: ["This password is too short. It must contain at least 8 characters."] });
    const long = await request("POST", "/auth/password/", {
      token: user.token,
      body: { old_password: user.password, new_password: "x".repeat(257) },
    });
    expect(long.json).toEqual({ new_password: ["Ensure this field has no more than 256 characters."] });
    const typed = await request("POST", "/auth/password/", { token: user.token, body: { old_password: 1, new_password: [] } });
    expect(typed.json).toEqual({ old_password: ["Not a valid string."], new_password: ["Not a valid string."] });
    // Nothing changed.
    expect((await mint(user.email, user.password)).status).toBe(201);
  });

  it("refuses a wrong old password with a field error and changes nothing", async () => {
    const user = await newClient("pw-wrong");
    const res = await request("POST", "/auth/password/", {
      token: user.token,
      body: { old_password: "not my password", new_password: NEW_PASSWORD },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ old_password: ["The password is not correct."] });
    expect((await request("GET", "/auth/me/", { token: user.token })).status).toBe(200);
    expect((await mint(user.email, NEW_PASSWORD)).status).toBe(400);
  });

  it("needs a caller; a cookie-authenticated change from another site is refused", async () => {
    const anonymous = await request("POST", "/auth/password/", { body: { old_password: "x", new_password: NEW_PASSWORD } });
    expect(anonymous.status).toBe(401);
    const user = await newClient("pw-csrf");
    const { cookie } = await remote(baseUrl()).signIn(user);
    const crossSite = await request("POST", "/auth/password/", {
      headers: { cookie: cookie!, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: { old_password: user.password, new_password: NEW_PASSWORD },
    });
    expect(crossSite.status).toBe(403);
    expect((await mint(user.email, user.password)).status).toBe(201);
  });

  it("with a token: 204; the old password stops working, every token and session ends", async () => {
    const user = await newClient("pw-token");
    const spare = await mint(user.email, user.password);
    const { cookie } = await remote(baseUrl()).signIn(user);
    expect((await request("GET", "/auth/me/", { headers: { cookie: cookie! } })).status).toBe(200);

    const res = await request("POST", "/auth/password/", {
      token: user.token,
      body: { old_password: user.password, new_password: NEW_PASSWORD },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(res.headers.getSetCookie()).toEqual([]); // a token caller has no session to keep

    expect((await request("GET", "/auth/me/", { token: user.token })).status).toBe(401);
    expect((await request("GET", "/auth/me/", { token: spare.json.token })).status).toBe(401);
    expect((await request("GET", "/auth/me/", { headers: { cookie: cookie! } })).status).toBe(401);
    expect((await mint(user.email, user.password)).status).toBe(400);
    const fresh = await mint(user.email, NEW_PASSWORD);
    expect(fresh.status).toBe(201);
    const tokens = await request("GET", "/auth/tokens/", { token: fresh.json.token });
    expect(tokens.json.map((t: { id: number }) => t.id)).toEqual([fresh.json.id]);
  });

  it("with the session cookie: this session goes on with a renewed cookie, every other one ends", async () => {
    const user = await newClient("pw-session");
    const app = remote(baseUrl());
    const { cookie: here } = await app.signIn(user);
    const { cookie: elsewhere } = await app.signIn(user);

    const res = await request("POST", "/auth/password/", {
      headers: { cookie: here!, origin: baseUrl() },
      body: { old_password: user.password, new_password: NEW_PASSWORD },
    });
    expect(res.status).toBe(204);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    expect(setCookie).toMatch(/; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const renewed = setCookie!.split(";")[0]!;

    const me = await request("GET", "/auth/me/", { headers: { cookie: renewed } });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(user.email);
    // next-auth's own endpoint vouches for the renewed session too.
    const session = await fetch(`${baseUrl()}/api/auth/session`, { headers: { cookie: renewed } });
    expect(((await session.json()) as { user?: { email?: string } }).user?.email).toBe(user.email);

    expect((await request("GET", "/auth/me/", { headers: { cookie: here! } })).status).toBe(401);
    expect((await request("GET", "/auth/me/", { headers: { cookie: elsewhere! } })).status).toBe(401);
    expect((await request("GET", "/auth/me/", { token: user.token })).status).toBe(401);
    expect((await app.signIn({ email: user.email, password: user.password })).cookie).toBeUndefined();
    expect((await app.signIn({ email: user.email, password: NEW_PASSWORD })).cookie).toBeDefined();
  });
});
