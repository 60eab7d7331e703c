import { describe, expect, it } from "vitest";
import { newClient, request } from "../support/api";

// docs/security.md: at most 100 API tokens per user; the 101st is a DRF-shaped 400, and revoking one
// makes room again. Minted concurrently, the cap still holds.
const CAP = 100;
const MESSAGE = `You already have ${CAP} API tokens, the most allowed. Revoke one you no longer use, then create a new one.`;

describe("API tokens per user", () => {
  it("the 101st token is refused with 400; revoking one makes room", async () => {
    const user = await newClient("hoarder"); // holds one token already
    const mint = () => request("POST", "/auth/token/", { body: { email: user.email, password: user.password, name: "n" } });
    // Minted in parallel batches, with more requests than room: exactly the cap is reached.
    const statuses: number[] = [];
    for (let sent = 1; sent < CAP + 6; sent += 6) {
      statuses.push(...(await Promise.all(Array.from({ length: 6 }, mint))).map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(CAP - 1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 400)).toBe(true);

    const over = await mint();
    expect(over.status).toBe(400);
    expect(over.json).toEqual({ non_field_errors: [MESSAGE] });
    const list = await request("GET", "/auth/tokens/", { token: user.token });
    expect(list.json).toHaveLength(CAP);

    const victim = list.json.find((t: { name: string }) => t.name === "n");
    expect((await request("DELETE", `/auth/tokens/${victim.id}/`, { token: user.token })).status).toBe(204);
    expect((await mint()).status).toBe(201);
    expect((await mint()).status).toBe(400);
  }, 180_000);
});
