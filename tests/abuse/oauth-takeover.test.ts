import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, hasSession, signInWithPassword, whoAmI } from "../support/browser-session";
import { startFakeGitHub, type FakeGitHub, type GitHubIdentity } from "../support/fake-github";
import { startStack, type Stack } from "../support/stack";

/**
 * docs/security.md, OAuth account pre-takeover: an attacker registers victim@… with a password
 * before the victim ever signs in; the victim's later "Continue with GitHub" must not land in
 * the attacker's account. The full OAuth web flow runs over HTTP against the production
 * build, with a fake GitHub (tests/support/fake-github.ts) standing in for github.com.
 */

let github: FakeGitHub;
let open: Stack; // registration open (the default)
let closed: Stack; // ALLOW_REGISTRATION=false

const withGitHub = (extra: Record<string, string> = {}) => ({
  env: {
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    GITHUB_URL: github.url,
    GITHUB_API_URL: github.apiUrl,
    ...extra,
  },
});

beforeAll(async () => {
  github = await startFakeGitHub();
  open = await startStack(withGitHub());
  closed = await startStack(withGitHub({ ALLOW_REGISTRATION: "false" }));
}, 180_000);

afterAll(async () => {
  await open?.stop();
  await closed?.stop();
  await github?.close();
});

const unique = (tag: string) => `${tag}-${crypto.randomBytes(5).toString("hex")}@example.com`;
let nextGitHubId = 7_000_000;
const identity = (email: string, verified: boolean, extra: Partial<GitHubIdentity> = {}): GitHubIdentity => ({
  id: nextGitHubId++,
  login: email.split("@")[0]!,
  name: "Someone",
  emails: [{ email, primary: true, verified }],
  ...extra,
});

/** "Continue with GitHub" as a browser does it: csrf, sign-in POST, GitHub, the callback. */
async function continueWithGitHub(stack: Stack, who: GitHubIdentity, callbackUrl = "/chat", jar = new CookieJar()) {
  github.signInAs(who);
  const csrfToken = await jar.csrfToken(stack.baseUrl);
  const start = await jar.postForm(`${stack.baseUrl}/api/auth/signin/github`, { csrfToken, callbackUrl }, stack.baseUrl);
  expect(start.status).toBe(200);
  const { url } = (await start.json()) as { url: string };
  expect(url.startsWith(`${github.url}/login/oauth/authorize?`), url).toBe(true);
  const authorize = await fetch(url, { redirect: "manual" });
  expect(authorize.status).toBe(302);
  const callback = authorize.headers.get("location")!;
  expect(callback.startsWith(`${stack.baseUrl}/api/auth/callback/github?`), callback).toBe(true);
  const done = await jar.fetch(callback);
  expect(done.status).toBe(302);
  // next-auth answers absolute URLs: on the origin the browser used, or else an attack.
  const location = new URL(done.headers.get("location")!, stack.baseUrl);
  expect(location.origin).toBe(stack.baseUrl);
  return { location: `${location.pathname}${location.search}`, jar };
}

async function register(stack: Stack, email: string, password = "attacker's password") {
  const res = await fetch(`${stack.baseUrl}/api/chatbot/auth/register/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, name: "someone" }),
  });
  return { status: res.status, body: (await res.json()) as { id: number } };
}

const refusedWith = (location: string, stack: Stack, error: string) => {
  const url = new URL(location, stack.baseUrl);
  expect(url.origin).toBe(stack.baseUrl);
  expect(url.pathname).toBe("/sign-in");
  expect(url.searchParams.get("error")).toBe(error);
};

describe("OAuth sign-in and existing accounts", () => {
  it("a victim's GitHub sign-in never lands in an account someone registered with their email and a password", async () => {
    const victimEmail = unique("victim");
    const attacker = await register(open, victimEmail);
    expect(attacker.status).toBe(201);

    const victim = await continueWithGitHub(open, identity(victimEmail, true));
    refusedWith(victim.location, open, "OAuthAccountNotLinked");
    expect(hasSession(victim.jar)).toBe(false);
    expect(await whoAmI(open.baseUrl, victim.jar)).toBe(401);

    // Nor was the identity linked behind the scenes: trying again is refused again, and the
    // attacker's password session shows the account as it was.
    const again = await continueWithGitHub(open, { ...identity(victimEmail, true), id: nextGitHubId - 1 });
    refusedWith(again.location, open, "OAuthAccountNotLinked");
    const attackerSession = await signInWithPassword(open.baseUrl, victimEmail, "attacker's password");
    expect(await whoAmI(open.baseUrl, attackerSession)).toMatchObject({ id: attacker.body.id });
  });

  it("the sign-in page explains the refusal", async () => {
    const html = await (await fetch(`${open.baseUrl}/sign-in?error=OAuthAccountNotLinked`)).text();
    expect(html).toMatch(/role="alert"[^>]*>[^<]*(already exists|이미 있습니다)/);
  });

  it("an email GitHub has not verified neither creates an account nor joins one", async () => {
    const email = unique("unverified");
    const first = await continueWithGitHub(open, identity(email, false));
    refusedWith(first.location, open, "OAuthEmailUnverified");
    expect(hasSession(first.jar)).toBe(false);
    // No account was made with it: the email is still free to register.
    expect((await register(open, email, "a real password")).status).toBe(201);

    // And a password-less account (made by a verified GitHub sign-in) is not joined by an
    // unverified claim to its email either.
    const owned = unique("owned");
    const owner = await continueWithGitHub(open, identity(owned, true));
    expect(owner.location).toBe("/chat");
    const claim = await continueWithGitHub(open, identity(owned, false));
    refusedWith(claim.location, open, "OAuthEmailUnverified");
    expect(hasSession(claim.jar)).toBe(false);
  });

  it("a GitHub account whose primary email is unverified is refused even when another email is verified", async () => {
    const email = unique("primary");
    const who = identity(email, false, {
      emails: [
        { email, primary: true, verified: false },
        { email: unique("secondary"), primary: false, verified: true },
      ],
      publicEmail: email,
    });
    const res = await continueWithGitHub(open, who);
    refusedWith(res.location, open, "OAuthEmailUnverified");
  });

  it("a verified email signs up, signs in again to the same account, and links to a password-less account", async () => {
    const email = unique("linked");
    const first = await continueWithGitHub(open, identity(email, true));
    expect(first.location).toBe("/chat");
    const me = await whoAmI(open.baseUrl, first.jar);
    expect(me).toMatchObject({ email });
    const userId = (me as { id: number }).id;

    // The same GitHub identity again → the same account.
    const sameIdentity = { ...identity(email, true), id: nextGitHubId - 1 };
    const again = await continueWithGitHub(open, sameIdentity);
    expect(await whoAmI(open.baseUrl, again.jar)).toMatchObject({ id: userId });

    // A second verified identity with that email (another GitHub account, or another
    // provider) is linked to the password-less account.
    const other = await continueWithGitHub(open, identity(email.toUpperCase(), true));
    expect(other.location).toBe("/chat");
    expect(await whoAmI(open.baseUrl, other.jar)).toMatchObject({ id: userId });

    // Registering that email with a password afterwards is refused: it is taken.
    expect((await register(open, email)).status).toBe(400);
  });

  it("after sign-in the callbackUrl is honoured only as a path of this site", async () => {
    const email = unique("redirect");
    const hostile = await continueWithGitHub(open, identity(email, true), "https://evil.example/phish");
    expect(hostile.location).toBe("/chat");
    const tabbed = await continueWithGitHub(open, { ...identity(email, true), id: nextGitHubId - 1 }, "/\t/evil.example");
    expect(tabbed.location).toBe("/chat");
    const fine = await continueWithGitHub(open, { ...identity(email, true), id: nextGitHubId - 1 }, `${open.baseUrl}/settings`);
    expect(fine.location).toBe("/settings");
  });

  it("ALLOW_REGISTRATION=false stops OAuth sign-ups too", async () => {
    const email = unique("newcomer");
    const res = await continueWithGitHub(closed, identity(email, true));
    refusedWith(res.location, closed, "OAuthRegistrationClosed");
    expect(hasSession(res.jar)).toBe(false);
    const page = await (await fetch(`${closed.baseUrl}${res.location}`)).text();
    expect(page).toMatch(/New accounts cannot be created here|새 계정을 만들 수 없습니다/);
  });
});
