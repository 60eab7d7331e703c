import { describe, expect, it } from "vitest";
import { baseUrl } from "../support/api";

// Security headers from next.config.ts, on pages and API responses alike (the suite's
// server is a production build: no 'unsafe-eval').

const directives = (csp: string) =>
  Object.fromEntries(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );

describe("security headers", () => {
  it.each(["/sign-in", "/api/chatbot/room/", "/api/health", "/api/openapi.json", "/no-such-page"])("are sent on %s", async (path) => {
    const res = await fetch(`${baseUrl()}${path}`, { redirect: "manual" });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
    expect(res.headers.get("permissions-policy")).toMatch(/microphone=\(\)/);
    expect(res.headers.get("x-powered-by")).toBeNull();

    const csp = directives(res.headers.get("content-security-policy") ?? "");
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["script-src"]).toContain("'self'");
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["script-src"]).not.toContain("*");
    expect(csp["connect-src"]).toEqual(["'self'"]);
  });

  it("loads its scripts from its own origin only (what script-src allows)", async () => {
    const html = await (await fetch(`${baseUrl()}/sign-in`)).text();
    const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src.startsWith("/") && !src.startsWith("//")).toBe(true);
  });
});
