import { describe, expect, it } from "vitest";
import { baseUrl, hasRedis } from "../support/api";

describe("GET /api/health", () => {
  it("reports ok and the configured history backend", async () => {
    const res = await fetch(`${baseUrl()}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", history: hasRedis() ? "redis" : "memory" });
  });
});
