import { describe, expect, it } from "vitest";
import { api, baseUrl, createRoom, newClient } from "../support/api";

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

const PAGES = ["/sign-in", "/sign-up", "/no-such-page", "/api/docs"];

describe("the pages' Content-Security-Policy (docs/security.md)", () => {
  it.each(PAGES)("%s: scripts only with this response's nonce, never 'unsafe-inline'", async (path) => {
    const first = await fetch(`${baseUrl()}${path}`);
    const second = await fetch(`${baseUrl()}${path}`);
    const nonces = [first, second].map((res) => {
      const csp = directives(res.headers.get("content-security-policy") ?? "");
      expect(csp["script-src"]).not.toContain("'unsafe-inline'");
      expect(csp["script-src"]).not.toContain("'unsafe-eval'");
      expect(csp["script-src"]).toContain("'strict-dynamic'");
      const nonce = csp["script-src"]!.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/); // 128 random bits
      return nonce!;
    });
    expect(nonces[0]).not.toBe(nonces[1]);

    // Every script of the page carries that nonce (else the browser would refuse to run it).
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonces[0]}"`);
    // Exactly one policy: a second, nonce-less one would be enforced too and block them all.
    expect(first.headers.get("content-security-policy")!.split(",")).toHaveLength(1);
  });
});

describe("Cache-Control on every API answer (docs/security.md)", () => {
  const expectNoStore = (res: Response, what: string) => {
    const value = res.headers.get("cache-control") ?? "";
    expect(value, what).toMatch(/\bprivate\b/);
    expect(value, what).toMatch(/\bno-store\b/);
    expect(value, what).not.toMatch(/\bpublic\b|max-age=[1-9]/);
  };

  it("errors, 401s, the 404 catch-all, the guard's answers, health, docs and next-auth's endpoints", async () => {
    const cases: [string, RequestInit?][] = [
      ["/api/chatbot/room/"],
      ["/api/chatbot/no/such/thing/"],
      ["/api/chatbot/room/%ZZ/"],
      ["/api/chatbot"],
      // Not /room/: Next answers an unknown method on the conditional GETs' paths itself (a 400
      // with no header; nothing caches a PROPFIND answer), and next.config.ts leaves those
      // paths' Cache-Control to their handlers (docs/api.md#conditional-requests).
      ["/api/chatbot/auth/tokens/", { method: "PROPFIND" }],
      ["/api/chatbot/auth/token/", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }],
      ["/api/health"],
      ["/api/openapi.json"],
      ["/api/auth/session"],
      ["/api/auth/csrf"],
      ["/api/auth/providers"],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(`${baseUrl()}${path}`, { redirect: "manual", ...init });
      expectNoStore(res, `${init?.method ?? "GET"} ${path} → ${res.status}`);
    }
  });

  it("authenticated reads and writes, JSON and the reply stream", async () => {
    const client = await newClient("cache");
    const room = await createRoom(client, "cached?");
    const headers = { ...client.headers, "content-type": "application/json" };
    // The conditional GETs may be kept by the browser but only for this user, and never used
    // without asking again (docs/api.md#conditional-requests).
    for (const path of [`/room/`, `/room/${room.id}/`, `/room/${room.id}/logs/`]) {
      const res = await fetch(api(path), { headers });
      expect(res.headers.get("cache-control"), path).toBe("private, no-cache");
      expect(res.headers.get("etag"), path).toMatch(/^W\//);
    }
    const cases: [string, RequestInit?][] = [
      [`/auth/me/`],
      [`/auth/tokens/`],
      [`/room/`, { method: "POST", body: JSON.stringify({ title: "x" }) }],
      [`/room/${room.id}/`, { method: "PATCH", body: JSON.stringify({ title: "" }) }],
      [`/room/999999999/`],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(api(path), { headers, ...init });
      expectNoStore(res, `${init?.method ?? "GET"} ${path} → ${res.status}`);
    }
    const stream = await fetch(api(`/room/${room.id}/messages/`), {
      method: "POST",
      headers: { ...headers, accept: "text/event-stream" },
      body: JSON.stringify({ message: "hello" }),
    });
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    expectNoStore(stream, "SSE");
    await stream.text();
  });
});
