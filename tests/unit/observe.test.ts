import { describe, expect, it } from "vitest";
import { requestIdFrom, routePattern, withRequestId } from "@/lib/api/observe";
import { serializeError } from "@/lib/log";

describe("routePattern", () => {
  it("names a route by its pattern, whatever the ids", () => {
    expect(routePattern("/api/chatbot/room/", {})).toBe("/api/chatbot/room");
    expect(routePattern("/api/chatbot/room/42/logs/", { id: "42" })).toBe("/api/chatbot/room/[id]/logs");
    expect(routePattern("/api/chatbot/room/42", { id: "42" })).toBe("/api/chatbot/room/[id]");
    expect(routePattern("/api/chatbot/auth/tokens/7/", { id: "7" })).toBe("/api/chatbot/auth/tokens/[id]");
    expect(routePattern("/api/chatbot/room/%E2%9C%93/", { id: "✓" })).toBe("/api/chatbot/room/[id]");
  });

  it("folds a catch-all's segments into one", () => {
    expect(routePattern("/api/auth/callback/credentials", { nextauth: ["callback", "credentials"] })).toBe("/api/auth/[...nextauth]");
    expect(routePattern("/api/chatbot/a/b/c/", { path: ["a", "b", "c"] })).toBe("/api/chatbot/[...path]");
  });
});

describe("request ids", () => {
  it("keeps an id-like X-Request-Id and replaces anything else", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "lb-0123456789" }))).toBe("lb-0123456789");
    for (const junk of ["short", "has space 12345", "x".repeat(129), 'quote"0123456789']) {
      expect(requestIdFrom(new Headers({ "x-request-id": junk }))).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFrom(new Headers())).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sets X-Request-Id even on a response with immutable headers", async () => {
    const redirect = withRequestId(Response.redirect("http://localhost/x", 302), "id-0123456789");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("http://localhost/x");
    expect(redirect.headers.get("x-request-id")).toBe("id-0123456789");
  });
});

describe("serializeError", () => {
  it("keeps a failed query's SQL but not its parameters, in the message and the stack", () => {
    const error = Object.assign(new Error("Failed query: select 1 where email = $1\nparams: minji@example.com"), {
      query: "select 1 where email = $1",
      params: ["minji@example.com"],
      cause: Object.assign(new Error("connection reset"), { code: "ECONNRESET" }),
    });
    const serialized = serializeError(error);
    expect(serialized.message).toBe("Failed query: select 1 where email = $1");
    expect(JSON.stringify(serialized)).not.toContain("minji@example.com");
    expect(serialized.cause).toMatchObject({ type: "Error", message: "connection reset", code: "ECONNRESET" });
    expect(serialized.stack).toMatch(/^\s*at /);
  });
});
