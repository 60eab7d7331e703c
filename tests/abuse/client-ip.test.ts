import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/stack";
import { randomIp, remote } from "../support/remote";

// docs/security.md: the client's address for per-IP limits comes from the socket unless the server is
// told (TRUST_PROXY_HOPS) how many proxies in front append to X-Forwarded-For. An attacker
// who rotates forwarding headers must not get a fresh budget of password guesses per value.
const AUTH = 4;
const THROTTLED = /^Request was throttled\. Expected available in \d+ seconds\.$/;

function expectThrottled(res: { status: number; headers: Headers; json: any }) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(res.json).toEqual({ detail: expect.stringMatching(THROTTLED) });
}

/** A credentials sign-in as the browser posts it, from the given headers. */
async function signInAttempt(baseUrl: string, email: string, headers: Record<string, string>) {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, cookie: jar, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: "a wrong guess", csrfToken, json: "true" }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe("TRUST_PROXY_HOPS unset (no proxy in front: forwarding headers are not trusted)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("a client rotating X-Forwarded-For and X-Real-IP shares one budget: its socket's", async () => {
    const app = remote(stack.baseUrl);
    const forged = () => ({ "x-forwarded-for": `${randomIp()}, ${randomIp()}`, "x-real-ip": randomIp() });
    for (let i = 0; i < AUTH; i++) {
      const guess = await app.request("POST", "/auth/token/", {
        body: { email: `victim-${i}@example.com`, password: "a wrong guess" },
        headers: forged(),
      });
      expect(guess.status).toBe(400);
    }
    // Every further guess, through every password door and with fresh headers, is refused.
    expectThrottled(
      await app.request("POST", "/auth/token/", { body: { email: "victim@example.com", password: "a wrong guess" }, headers: forged() }),
    );
    expectThrottled(await app.request("POST", "/auth/token/", { body: { email: "victim@example.com", password: "a wrong guess" } }));
    expectThrottled(
      await app.request("POST", "/auth/register/", { body: { email: "new@example.com", password: "long enough pw" }, headers: forged() }),
    );
    expectThrottled(await signInAttempt(stack.baseUrl, "victim@example.com", forged()));
  });
});

describe("TRUST_PROXY_HOPS=1 (one proxy in front appends the client's address)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_AUTH_PER_MINUTE: String(AUTH), TRUST_PROXY_HOPS: "1" } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("limits by the address the proxy appended; what the client wrote before it does not matter", async () => {
    const app = remote(stack.baseUrl);
    const client = randomIp();
    // The proxy turns the client's own `X-Forwarded-For: <forged>` into `<forged>, <client>`.
    const via = (forgedByClient: string) => ({ "x-forwarded-for": `${forgedByClient}, ${client}` });
    for (let i = 0; i < AUTH; i++) {
      const guess = await app.request("POST", "/auth/token/", {
        body: { email: `target-${i}@example.com`, password: "a wrong guess" },
        headers: via(randomIp()),
      });
      expect(guess.status).toBe(400);
    }
    expectThrottled(
      await app.request("POST", "/auth/token/", { body: { email: "target@example.com", password: "a wrong guess" }, headers: via(randomIp()) }),
    );
    expectThrottled(await signInAttempt(stack.baseUrl, "target@example.com", via(randomIp())));

    // Another client behind the same proxy has its own budget.
    const other = await app.request("POST", "/auth/token/", {
      body: { email: "target@example.com", password: "a wrong guess" },
      headers: { "x-forwarded-for": randomIp() },
    });
    expect(other.status).toBe(400);
  });
});
