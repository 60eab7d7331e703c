import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, createRoom, newClient, request, type Client } from "../support/api";
import { remote } from "../support/remote";

// docs/security.md: route handlers get no CSRF protection from Next.js, so a write authenticated by
// the session cookie is refused (403) when Origin / Sec-Fetch-Site says another site sent
// it. Bearer-token requests are not affected: browsers never attach them on their own.

let alice: Client;
let cookie: string;

beforeAll(async () => {
  alice = await newClient("csrf");
  const signedIn = await remote(baseUrl()).signIn(alice);
  expect(signedIn.cookie).toBeDefined();
  cookie = signedIn.cookie!;
});

const crossSite: [string, Record<string, string>][] = [
  ["a foreign Origin", { origin: "https://evil.example" }],
  ["a foreign Origin on the same host name but another port", { origin: "http://localhost:1" }],
  ["Origin: null (sandboxed frame, data: URL)", { origin: "null" }],
  ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
  ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
  ["Sec-Fetch-Site: cross-site with a same-origin Origin", { "sec-fetch-site": "cross-site", origin: "SAME" }],
];
const withOrigin = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === "SAME" ? baseUrl() : v]));

describe("cookie-authenticated writes from another site", () => {
  it.each(crossSite)("are refused with 403 for %s, changing nothing", async (_name, headers) => {
    const room = await createRoom(alice, "untouched");
    const h = { ...withOrigin(headers), cookie };
    const attempts = [
      await request("POST", "/room/", { headers: h, body: { title: "forged" } }),
      await request("PATCH", `/room/${room.id}/`, { headers: h, body: { title: "forged" } }),
      await request("PUT", `/room/${room.id}/`, { headers: h, body: { title: "forged" } }),
      await request("DELETE", `/room/${room.id}/`, { headers: h }),
      await request("POST", `/room/${room.id}/messages/`, { headers: { ...h, accept: "application/json" }, body: { message: "forged" } }),
      await request("DELETE", `/auth/tokens/1/`, { headers: h }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.json).toEqual({ detail: expect.stringMatching(/^CSRF Failed/) });
    }
    const rooms = await request("GET", "/room/", { token: alice.token });
    expect(rooms.json.map((r: { title: string }) => r.title)).not.toContain("forged");
    const detail = await request("GET", `/room/${room.id}/`, { token: alice.token });
    expect(detail.json).toMatchObject({ title: "untouched", chatlogs: [] });
  });

  it("are allowed from the same origin (Origin and Sec-Fetch-Site: same-origin)", async () => {
    const h = { cookie, origin: baseUrl(), "sec-fetch-site": "same-origin" };
    const created = await request("POST", "/room/", { headers: h, body: { title: "mine" } });
    expect(created.status).toBe(201);
    const renamed = await request("PATCH", `/room/${created.json.id}/`, { headers: h, body: { title: "renamed" } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.title).toBe("renamed");
    expect((await request("DELETE", `/room/${created.json.id}/`, { headers: h })).status).toBe(204);
  });

  it("are allowed from a non-browser client that sends neither header", async () => {
    const created = await request("POST", "/room/", { headers: { cookie }, body: {} });
    expect(created.status).toBe(201);
  });

  it("reads with a foreign Origin still answer (CORS keeps the page from reading them) and grant no CORS", async () => {
    const res = await request("GET", "/room/", { headers: { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("do not affect bearer-token requests", async () => {
    const res = await request("POST", "/room/", {
      token: alice.token,
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site", cookie },
      body: { title: "token write" },
    });
    expect(res.status).toBe(201);
  });

  it("next-auth's own sign-in refuses a form post without its CSRF token (no session is issued)", async () => {
    const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ email: alice.email, password: alice.password, json: "true" }),
    });
    const cookies = res.headers.getSetCookie().join("\n");
    expect(cookies).not.toMatch(/next-auth\.session-token=[^;]/);
  });
});
