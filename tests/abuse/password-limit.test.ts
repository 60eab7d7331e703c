import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/stack";
import { randomIp, remote, type Remote } from "../support/remote";

// docs/security.md: failed password checks are limited per account, whatever the IP: token minting,
// the credentials sign-in, account deletion and password change all count, unknown emails
// too (per email, answering exactly as for a real account). Every request here comes from a
// fresh address (one proxy hop trusted), so only the per-account limit can stop it.
const FAILURES = 3;
const LOCKED = /^Too many failed password attempts for this account\. Expected available in (\d+) seconds\.$/;

let stack: Stack;
let app: Remote;

beforeAll(async () => {
  stack = await startStack({ env: { RATE_LIMIT_PASSWORD_FAILURES: String(FAILURES), TRUST_PROXY_HOPS: "1" } });
  app = remote(stack.baseUrl);
});
afterAll(async () => {
  await stack?.stop();
});

const fromAnywhere = () => ({ "x-forwarded-for": randomIp() });

function expectLocked(res: { status: number; headers: Headers; json: any }) {
  expect(res.status, JSON.stringify(res.json)).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(60); // the 15-minute window, not the per-IP minute
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  expect(res.json).toEqual({ detail: expect.stringMatching(LOCKED) });
}

const mint = (email: string, password: string) =>
  app.request("POST", "/auth/token/", { body: { email, password }, headers: fromAnywhere() });

/** The credentials sign-in, as the browser posts it. */
async function signIn(email: string, password: string) {
  const headers = fromAnywhere();
  const csrf = await fetch(`${stack.baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const res = await fetch(`${stack.baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, cookie: jar, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
  const text = await res.text();
  const session = res.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="));
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined, session };
}

describe("per-account failed-password limit", () => {
  it("token minting: after the limit even the right password is refused, from any address; other accounts are not", async () => {
    const victim = await app.newClient("victim");
    for (let i = 0; i < FAILURES; i++) expect((await mint(victim.email, `wrong guess ${i}`)).status).toBe(400);
    expectLocked(await mint(victim.email, "another guess"));
    expectLocked(await mint(victim.email, victim.password));
    expectLocked(await mint(victim.email.toUpperCase(), victim.password)); // emails are case-insensitive
    // The victim's existing token still works: only password checks are refused.
    expect((await app.request("GET", "/auth/me/", { token: victim.token })).status).toBe(200);
    const bystander = await app.newClient("bystander");
    expect((await mint(bystander.email, bystander.password)).status).toBe(201);
  });

  it("correct passwords do not count", async () => {
    const user = await app.newClient("regular");
    for (let i = 0; i < FAILURES + 2; i++) expect((await mint(user.email, user.password)).status).toBe(201);
    expect((await mint(user.email, "one wrong")).status).toBe(400);
  });

  it("unknown emails are limited too, with the very same answers as a real account", async () => {
    const real = await app.newClient("real");
    const ghost = `ghost-${Date.now()}@example.com`;
    for (let i = 0; i < FAILURES; i++) {
      const [a, b] = [await mint(real.email, `wrong guess ${i}`), await mint(ghost, `wrong guess ${i}`)];
      expect(b.status).toBe(a.status);
      expect(b.json).toEqual(a.json);
    }
    const [a, b] = [await mint(real.email, "wrong guess"), await mint(ghost, "wrong guess")];
    expectLocked(a);
    expectLocked(b);
  });

  it("concurrent guesses cannot slip past the limit", async () => {
    const user = await app.newClient("burst");
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => mint(user.email, `wrong burst ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(FAILURES).fill(400), ...Array(10 - FAILURES).fill(429)]);
  });

  it("the credentials sign-in counts, and a locked account's sign-in answers 429 with Retry-After", async () => {
    const user = await app.newClient("signin");
    const wrong = await signIn(user.email, "a wrong guess");
    expect(wrong.status).toBe(401);
    expect(wrong.session).toBe(false);
    for (let i = 1; i < FAILURES; i++) expect((await mint(user.email, `wrong guess ${i}`)).status).toBe(400);
    const locked = await signIn(user.email, user.password);
    expectLocked(locked);
    expect(locked.session).toBe(false);
    // A different account signs in as usual.
    const other = await app.newClient("signin-other");
    const ok = await signIn(other.email, other.password);
    expect(ok.status).toBe(200);
    expect(ok.session).toBe(true);
  });

  it("account deletion counts: wrong passwords to DELETE /auth/me/ lock the account's password checks", async () => {
    const user = await app.newClient("deleter");
    for (let i = 0; i < FAILURES; i++) {
      const res = await app.request("DELETE", "/auth/me/", { token: user.token, body: { password: `wrong guess ${i}` }, headers: fromAnywhere() });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ password: ["The password is not correct."] });
    }
    expectLocked(await app.request("DELETE", "/auth/me/", { token: user.token, body: { password: user.password } }));
    expectLocked(await mint(user.email, user.password));
    expect((await app.request("GET", "/auth/me/", { token: user.token })).status).toBe(200); // not deleted
  });

  it("password change counts: wrong old passwords lock it, and token minting with it", async () => {
    const user = await app.newClient("changer");
    for (let i = 0; i < FAILURES; i++) {
      const res = await app.request("POST", "/auth/password/", {
        token: user.token,
        body: { old_password: `wrong guess ${i}`, new_password: "a brand new password" },
      });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ old_password: ["The password is not correct."] });
    }
    expectLocked(
      await app.request("POST", "/auth/password/", {
        token: user.token,
        body: { old_password: user.password, new_password: "a brand new password" },
      }),
    );
    expectLocked(await mint(user.email, user.password));
  });
});
