import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, newClient } from "../support/api";
import { CookieJar, hasSession, signInWithPassword, whoAmI } from "../support/browser-session";
import { freePort, startStack, type Stack } from "../support/stack";

/**
 * docs/security.md: redirects after sign-in or sign-out go only to paths of this site, relative to
 * the request's own origin. The attacks are what a phishing link would carry.
 */
const ATTACKS = [
  "/\t/evil.example",
  "/\r/evil.example",
  "/\n/evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "//evil.example",
  "/.//evil.example",
  "https:evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
  "http://localhost:1/chat",
];

const offSite = (location: string, base: string) => new URL(location, base).origin !== base;

describe("GET /sign-in and /sign-up while signed in", () => {
  let jar: CookieJar;
  beforeAll(async () => {
    const client = await newClient("redirect");
    jar = await signInWithPassword(baseUrl(), client.email, client.password);
  });

  it.each(ATTACKS)("callbackUrl=%j sends the browser to /chat, on this site", async (attack) => {
    for (const page of ["/sign-in", "/sign-up"]) {
      // Encoded as a link would carry it: %09 for the tab, %5C for the backslash…
      const res = await jar.fetch(`${baseUrl()}${page}?callbackUrl=${encodeURIComponent(attack)}`);
      expect(res.status).toBe(307);
      const location = res.headers.get("location")!;
      expect(offSite(location, baseUrl()), `${page}: ${JSON.stringify(location)}`).toBe(false);
      expect(new URL(location, baseUrl()).pathname).toBe("/chat");
    }
  });

  it("a path of this site is kept", async () => {
    const res = await jar.fetch(`${baseUrl()}/sign-in?callbackUrl=${encodeURIComponent("/settings?tab=1")}`);
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get("location")!, baseUrl()).href).toBe(`${baseUrl()}/settings?tab=1`);
  });

  it("the raw attack from the report: /%09/evil.example", async () => {
    const res = await jar.fetch(`${baseUrl()}/sign-in?callbackUrl=/%09/evil.example`);
    expect(res.headers.get("location")).not.toMatch(/evil/);
  });
});

describe("next-auth's own redirects", () => {
  it("signing in and out with a hostile callbackUrl answers paths of this site", async () => {
    const client = await newClient("nextauth");
    for (const attack of ATTACKS) {
      const jar = new CookieJar();
      const csrfToken = await jar.csrfToken(baseUrl());
      const signIn = await jar.postForm(
        `${baseUrl()}/api/auth/callback/credentials`,
        { email: client.email, password: client.password, csrfToken, callbackUrl: attack },
        baseUrl(),
      );
      expect(hasSession(jar)).toBe(true);
      const { url } = (await signIn.json()) as { url: string };
      expect(offSite(url, baseUrl()), `sign-in ${JSON.stringify(attack)} → ${url}`).toBe(false);

      const signOut = await jar.postForm(`${baseUrl()}/api/auth/signout`, { csrfToken, callbackUrl: attack }, baseUrl());
      const out = (await signOut.json()) as { url: string };
      expect(offSite(out.url, baseUrl()), `sign-out ${JSON.stringify(attack)} → ${out.url}`).toBe(false);
    }
  });
});

describe("a server whose NEXTAUTH_URL names another port than the browser uses", () => {
  // `npm run dev -- -p 3100` with NEXTAUTH_URL=http://localhost:3000, or a proxy on another port.
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NEXTAUTH_URL: `http://localhost:${await freePort()}` } });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("sign-in and sign-out send the browser back to the host and port it used", async () => {
    const email = `port-${Date.now()}@example.com`;
    const password = "correct horse battery";
    const reg = await fetch(`${stack.baseUrl}/api/chatbot/auth/register/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(reg.status).toBe(201);

    const jar = new CookieJar();
    const csrfToken = await jar.csrfToken(stack.baseUrl);
    const signIn = await jar.postForm(
      `${stack.baseUrl}/api/auth/callback/credentials`,
      { email, password, csrfToken, callbackUrl: `${stack.baseUrl}/settings` },
      stack.baseUrl,
    );
    const { url: afterSignIn } = (await signIn.json()) as { url: string };
    expect(afterSignIn).toBe(`${stack.baseUrl}/settings`);
    expect(await whoAmI(stack.baseUrl, jar)).toMatchObject({ email });

    // What the Sign out button sends (next-auth/react's signOut({ callbackUrl: "/sign-in" })).
    const signOut = await jar.postForm(`${stack.baseUrl}/api/auth/signout`, { csrfToken, callbackUrl: "/sign-in" }, stack.baseUrl);
    const { url: afterSignOut } = (await signOut.json()) as { url: string };
    expect(afterSignOut).toBe(`${stack.baseUrl}/sign-in`);
    expect(hasSession(jar)).toBe(false);
    expect(await whoAmI(stack.baseUrl, jar)).toBe(401);
  });
});
