import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

// The wrapper's own job is checked here; resolving the session needs a Next request, which
// the e2e suite drives (sidebar rename/delete, settings tokens) through these same actions.
vi.mock("@/lib/auth/session", () => ({ requireSessionUser: async () => ({ id: 7, email: "a@example.com" }) }));
const { authedAction } = await import("@/lib/auth/authed-action");

describe("authedAction", () => {
  const rename = authedAction(z.tuple([z.number().int().positive(), z.string().trim().min(1).max(5)]), async (user, id, title) => ({
    ok: true as const,
    seen: { user: user.id, id, title },
  }));

  it("runs with the caller and the parsed arguments", async () => {
    expect(await rename(3, "  hi  ")).toEqual({ ok: true, seen: { user: 7, id: 3, title: "hi" } });
  });

  it("refuses what a client can post that the types did not allow, without running", async () => {
    const run = vi.fn();
    const guarded = authedAction(z.tuple([z.number().int().positive()]), run);
    for (const bad of [["1"], [-1], [1.5], [{ id: 1 }], [], [1, 2]] as unknown[][]) {
      const result = await (guarded as (...args: unknown[]) => Promise<unknown>)(...bad);
      expect(result, JSON.stringify(bad)).toMatchObject({ ok: false, error: expect.any(String) });
    }
    expect(run).not.toHaveBeenCalled();
    expect(await rename(3, "far too long")).toMatchObject({ ok: false });
  });
});
