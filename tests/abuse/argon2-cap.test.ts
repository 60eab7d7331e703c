import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../support/stack";
import { remote } from "../support/remote";

// docs/security.md: argon2 work is capped per process. With one slot and no waiting, a flood of
// password checks is answered 503 + Retry-After for the excess instead of piling up
// (~19 MiB and a thread each), never 500, and the server serves normally afterwards.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { ARGON2_MAX_CONCURRENT: "1", ARGON2_QUEUE_TIMEOUT_MS: "0" } });
});
afterAll(async () => {
  await stack?.stop();
});

describe("argon2 concurrency cap", () => {
  it("refuses the excess of a flood with 503 and Retry-After, then recovers", async () => {
    const app = remote(stack.baseUrl);
    const user = await app.newClient("flooded");
    const flood = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        app.request("POST", "/auth/token/", { body: { email: `flood-${i}@example.com`, password: "a wrong guess" } }),
      ),
    );
    const busy = flood.filter((r) => r.status === 503);
    expect(flood.every((r) => r.status === 400 || r.status === 503), flood.map((r) => r.status).join(",")).toBe(true);
    expect(busy.length).toBeGreaterThan(0);
    for (const res of busy) {
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.json).toEqual({ detail: "The server is busy checking passwords. Please try again shortly." });
    }
    // A refused check is not a failure of the account: the owner still gets in.
    expect((await app.request("POST", "/auth/token/", { body: { email: user.email, password: user.password } })).status).toBe(201);
  });
});
